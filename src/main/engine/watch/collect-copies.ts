import type { LateArrival } from '../../../shared/watch-types.js';
import { connectAccount, type ImapAccount } from '../imap/imap-account.js';
import type { WatchLog, NewCopy } from '../state/watch-log.js';

/** Copies listed per round, so a long catch-up never holds them all in memory at once. */
const ROUND = 500;

export interface CollectedFolder {
  folder: string;
  count: number;
  late: LateArrival[];
}

/**
 * Lists what the passes copied since the last collection (target_copy rows newer than the mark),
 * with sender and subject read from the old mailbox (EXAMINE, envelopes only). `late`: the switch
 * was seen before this collection, so these messages reached the old server after it. When the
 * envelopes cannot be read the journal's subject is kept and the sender stays empty: the copy is
 * listed all the same.
 */
export async function collectCopies(log: WatchLog, pairId: number, source: ImapAccount, late: boolean, now: number): Promise<CollectedFolder[]> {
  const byFolder = new Map<string, CollectedFolder>();
  for (;;) {
    const mark = log.get(pairId)?.loggedUntil ?? now;
    const copies = log.newCopies(pairId, mark, ROUND);
    if (copies.length === 0) break;
    const envelopes = await readEnvelopes(source, copies);
    const listed = copies.map((c) => {
      const e = envelopes.get(`${c.sourcePath}\0${c.sourceUid}`);
      return { ...c, subject: e?.subject ?? c.subject ?? '', sender: e?.from ?? '', receivedAt: e?.receivedAt ?? c.internalDate };
    });
    log.record(pairId, listed, late, now);
    for (const c of listed) {
      const f = byFolder.get(c.sourcePath) ?? { folder: c.sourcePath, count: 0, late: [] };
      f.count++;
      if (late) f.late.push({ folder: c.sourcePath, subject: c.subject, from: c.sender, receivedAt: c.receivedAt === null ? null : new Date(c.receivedAt).toISOString() });
      byFolder.set(c.sourcePath, f);
    }
    if (copies.length < ROUND) break;
  }
  return [...byFolder.values()];
}

async function readEnvelopes(source: ImapAccount, copies: NewCopy[]): Promise<Map<string, { subject: string; from: string; receivedAt: number | null }>> {
  const found = new Map<string, { subject: string; from: string; receivedAt: number | null }>();
  const folders = new Map<string, number[]>();
  for (const c of copies) folders.set(c.sourcePath, [...(folders.get(c.sourcePath) ?? []), c.sourceUid]);
  let session;
  try {
    session = await connectAccount(source, 'source');
    for (const [folder, uids] of folders) {
      await session.open(folder, true);
      for await (const m of session.fetchMeta(uids.join(','))) {
        found.set(`${folder}\0${m.uid}`, { subject: m.subject, from: m.from, receivedAt: m.internalDate ? m.internalDate.getTime() : null });
      }
    }
  } catch {
    // Envelopes are a courtesy for the listing; the copies are listed with what the journal knows.
  } finally {
    await session?.logout();
  }
  return found;
}
