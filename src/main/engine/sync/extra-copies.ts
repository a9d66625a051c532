import type { ExtraCopiesFolder, ExtraCopiesPlan, ExtraCopiesResult, ExtraCopyGroup } from '../../../shared/compare-types.js';
import { connectPair, connectReaders, type ImapAccount } from '../imap/imap-account.js';
import type { MessageMeta } from '../imap/imap-types.js';
import type { MailboxConnection } from '../imap/mailbox-connection.js';
import type { SourceReader } from '../imap/source-reader.js';
import type { TargetWriter } from '../imap/target-writer.js';
import { compareKey, type MatchMode } from '../mail/fingerprint.js';
import type { TargetSpecialNames } from '../mail/mailbox-layout.js';
import { pairKeys } from '../mail/pair-keys.js';
import { mappingForPair } from '../mail/pair-mapping.js';
import type { StateStore } from '../state/state-store.js';
import { collect } from './copy-shared.js';

export interface ExtraCopiesRequest {
  source: ImapAccount;
  target: ImapAccount;
  /** The process's state database: the journal says which copies Cutover made. */
  state: StateStore;
  matchMode?: MatchMode;
  reservedTargetNames?: string[];
  targetSpecialNames?: TargetSpecialNames;
}

const REMOVE_CHUNK = 500;

/**
 * What "remove the extra copies Cutover made" would remove, without changing anything: in each
 * folder of the pair, for every source message that is on the target more often than on the
 * source, up to that many of the copies Cutover itself appended (known from the journal). Copies
 * Cutover cannot prove it made, and mail not from the source, are never candidates.
 */
export async function planExtraCopies(req: ExtraCopiesRequest): Promise<ExtraCopiesPlan> {
  const pairId = knownPair(req);
  if (pairId === null) return { folders: [], remove: 0, keptUnproven: 0 };
  // A preview changes nothing anywhere: both mailboxes are only read.
  const { source, target } = await connectReaders(req.source, req.target);
  try {
    return await planWith(req, pairId, source, target);
  } finally {
    await Promise.all([source.logout(), target.logout()]);
  }
}

async function planWith(req: ExtraCopiesRequest, pairId: number, source: SourceReader, target: MailboxConnection): Promise<ExtraCopiesPlan> {
  const { pairs } = req.state;
  const mode = req.matchMode ?? 'exact';
  const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(false), target.listFolders(false)]);
  const mapping = mappingForPair({
    pair: { pairs, pairId },
    source: { folders: sourceFolders, namespace: source.personalNamespace },
    target: { folders: targetFolders, namespace: target.personalNamespace },
    targetExtras: { reservedNames: req.reservedTargetNames ?? [], specialNames: req.targetSpecialNames ?? {} },
  });
  const journal = req.state.journal();
  const known = journal.folders(pairId);
  const folders: ExtraCopiesFolder[] = [];
  for (const m of mapping) {
    const row = known.get(m.source);
    if (m.target === null || !m.selectable || !row || row.targetPath !== m.target || !m.targetExists) continue;
    const sourceMessages = (await readAll(source, m.source)).messages;
    const { uidValidity, messages: targetMessages } = await readAll(target, m.target);
    const ours = req.state.targetCopies.uids(pairId, m.target, uidValidity);
    const pointed = new Set<number>();
    for (const r of journal.messages(row.id).values()) if (r.targetUid !== null) pointed.add(r.targetUid);
    const folder = extraCopiesOf(m.source, m.target, uidValidity, sourceMessages, targetMessages, ours, pointed, mode);
    if (folder.groups.length > 0) folders.push(folder);
  }
  return {
    folders,
    remove: folders.reduce((n, f) => n + f.uids.length, 0),
    keptUnproven: folders.reduce((n, f) => n + f.groups.reduce((k, g) => k + g.keptUnproven, 0), 0),
  };
}

/**
 * Removes what a preview showed and nothing else: the plan is made again, and only UIDs that are
 * both in it and in the confirmed preview are removed (a folder whose UIDVALIDITY changed is left
 * alone). Holds the pair's lease, so no copy runs meanwhile.
 */
export async function removeExtraCopies(req: ExtraCopiesRequest, confirmed: Pick<ExtraCopiesFolder, 'source' | 'target' | 'uidValidity' | 'uids'>[]): Promise<ExtraCopiesResult> {
  const result: ExtraCopiesResult = { removed: 0, folders: [] };
  const pairId = knownPair(req);
  if (pairId === null) return result;
  const lease = req.state.acquireLease(pairId, 'dedupe');
  try {
    const { source, target } = await connectPair(req.source, req.target);
    try {
      const now = await planWith(req, pairId, source, target);
      const known = req.state.journal().folders(pairId);
      for (const folder of now.folders) {
        const wanted = confirmed.find((f) => f.source === folder.source && f.target === folder.target && f.uidValidity === folder.uidValidity);
        if (!wanted) continue;
        const allowed = new Set(wanted.uids);
        const uids = folder.uids.filter((u) => allowed.has(u));
        if (uids.length === 0) continue;
        const removed = await removeFrom(req, pairId, target, folder, known.get(folder.source)!.id, uids);
        if (removed === 0) continue;
        result.removed += removed;
        result.folders.push({ source: folder.source, target: folder.target, removed });
      }
      return result;
    } finally {
      await Promise.all([source.logout(), target.logout()]);
    }
  } finally {
    lease.release();
  }
}

async function removeFrom(req: ExtraCopiesRequest, pairId: number, target: TargetWriter, folder: ExtraCopiesFolder, folderId: number, uids: number[]): Promise<number> {
  const box = await target.select(folder.target);
  if (box.uidValidity !== folder.uidValidity) return 0;
  for (let i = 0; i < uids.length; i += REMOVE_CHUNK) {
    const chunk = uids.slice(i, i + REMOVE_CHUNK);
    // Order matters: removed on the server first, then forgotten in the journal. A kill in
    // between leaves journal entries for UIDs that no longer exist (UIDs are never reused),
    // which is harmless; the other order could leave a copy nobody can prove is Cutover's.
    await target.removeMessages(chunk);
    req.state.targetCopies.removed(pairId, folderId, folder.target, folder.uidValidity, chunk);
  }
  return uids.length;
}

/** Picks, per message with extra copies, which of Cutover's copies go. */
export function extraCopiesOf(
  source: string,
  target: string,
  uidValidity: number,
  sourceMessages: MessageMeta[],
  targetMessages: MessageMeta[],
  ours: Set<number>,
  pointed: Set<number>,
  mode: MatchMode,
): ExtraCopiesFolder {
  const includeSize = mode === 'exact';
  const sourceCount = new Map<string, number>();
  for (const m of sourceMessages) {
    const key = compareKey(m, includeSize);
    sourceCount.set(key, (sourceCount.get(key) ?? 0) + 1);
  }
  const onTarget = new Map<string, MessageMeta[]>();
  for (const m of targetMessages) {
    const key = compareKey(m, includeSize);
    const list = onTarget.get(key);
    if (list) list.push(m);
    else onTarget.set(key, [m]);
  }
  const groups: ExtraCopyGroup[] = [];
  const uids: number[] = [];
  for (const [key, list] of onTarget) {
    const wanted = sourceCount.get(key) ?? 0;
    // Mail that is not from the source is never a duplicate of it.
    if (wanted === 0 || list.length <= wanted) continue;
    const excess = list.length - wanted;
    // Cutover's copies only; those no journal row points at first, the newest first.
    const candidates = list
      .filter((m) => ours.has(m.uid))
      .sort((a, b) => Number(pointed.has(a.uid)) - Number(pointed.has(b.uid)) || b.uid - a.uid)
      .slice(0, excess);
    uids.push(...candidates.map((m) => m.uid));
    const first = list[0]!;
    groups.push({ messageId: first.messageId, subject: first.subject, date: first.date, sourceCount: wanted, targetCount: list.length, remove: candidates.length, keptUnproven: excess - candidates.length });
  }
  return { source, target, uidValidity, uids: uids.sort((a, b) => a - b), groups };
}

async function readAll(mailbox: MailboxConnection, path: string): Promise<{ uidValidity: number; messages: MessageMeta[] }> {
  const box = await mailbox.examine(path);
  return { uidValidity: box.uidValidity, messages: box.exists > 0 ? await collect(mailbox.fetchMeta('1:*')) : [] };
}

/** The pair's id; a pair Cutover never copied has no copies of Cutover's (null). */
function knownPair(req: ExtraCopiesRequest): number | null {
  const { sourceKey, targetKey } = pairKeys(req.source.endpoint, req.target.endpoint);
  return req.state.pairs.find(sourceKey, targetKey);
}
