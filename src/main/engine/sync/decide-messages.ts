import type { MessageMeta } from '../imap/imap-types.js';
import { fingerprint, type MatchMode } from '../mail/fingerprint.js';
import { flagsToText, flagsWithout } from '../mail/message-flags.js';
import type { AppendedCopy, MessageRow } from '../state/sync-state.js';
import { missingLater } from './append-flags.js';
import type { CopyItem } from './copy-shared.js';
import type { CopyRun, PassConnections } from './copy-run.js';
import type { FolderJournal } from './folder-journal.js';
import type { FolderLook } from './look-at-folder.js';
import type { PassReport } from './pass-report.js';
import { TargetIndex } from './target-index.js';
import { megabytes } from '../../../shared/byte-size.js';

/** What step 2 decided for the messages that still need the target. */
export interface Decisions {
  /** Messages the journal knew that are to APPEND (pending, refused, or now within the size limit), in source order. */
  toCopy: CopyItem[];
  /** Copies that vanished from the target (repair): still `done` in the journal until copied again. */
  vanished: Set<number>;
  /**
   * Decides one page of messages the journal never saw (look.freshPages): the ones to APPEND, and
   * the ones found on the target already (recorded as found before this returns).
   */
  decidePage: (fresh: MessageMeta[]) => { toCopy: CopyItem[]; found: { messages: number; bytes: number } };
  /** After the last page: finds the target copies of flag changes whose copy is not known yet. */
  finish: () => void;
}

/**
 * Step 2 of a folder pass: per message, decide. Too large: recorded as skipped. Already on the
 * target (a copy whose completion a killed run never recorded, or mail that was there before):
 * recorded as found, never sent again. Everything else is to be copied; its intent is recorded
 * batch by batch just before its APPEND (store-batches.ts). Messages the journal knew are decided
 * at once; new ones page by page as the pass reads them (decidePage), against the same look at
 * the target.
 */
export async function decideMessages(run: CopyRun, io: PassConnections, look: FolderLook, journal: FolderJournal, report: PassReport): Promise<Decisions> {
  const { settings } = run;
  const { known, folder } = look;
  const candidates: CopyItem[] = [];
  for (const row of known.values()) {
    // Refused earlier in this run (before a reconnect): the next run tries again, not this one.
    if (row.state === 'failed' && run.refused.has(`${folder.sourcePath}\0${row.sourceUid}`)) continue;
    if (row.state === 'pending' || row.state === 'failed' || (row.state === 'skipped' && !tooLarge(settings.maxMessageSize, row.size))) candidates.push(itemOf(row));
  }

  // Repair: messages copied earlier whose copy is no longer on the target (deleted there, or lost
  // by the server) are looked for and copied again. Costs one UID listing of the target folder.
  const vanished = new Set<number>();
  if (settings.verifyTarget && known.size > 0) {
    const present = new Set<number>();
    if (look.tgt.exists > 0) for await (const { uid } of io.target.fetchFlags('1:*')) present.add(uid);
    const gone = [...known.values()].filter((row) => row.state === 'done' && (row.targetUid === null || !present.has(row.targetUid)));
    if (gone.length > 0) await run.crash?.('during-repair');
    for (const row of gone) {
      vanished.add(row.sourceUid);
      candidates.push(itemOf({ ...row, state: 'pending', targetUid: null }));
    }
  }

  // A copy that vanished is copied again with the flags it had; its flag change waits for the next run.
  for (const change of look.flagChanges) if (vanished.has(change.row.sourceUid)) change.targetUid = null;
  const needsTargetUid = look.flagChanges.some((c) => c.targetUid === null && !vanished.has(c.row.sourceUid));
  if (candidates.length === 0 && look.freshCount === 0 && !needsTargetUid) {
    return { toCopy: [], vanished, decidePage: () => ({ toCopy: [], found: { messages: 0, bytes: 0 } }), finish: () => undefined };
  }

  // Look on the target before sending anything: from the last UID seen after a clean pass, or all
  // of it when the journal has pending rows a killed run may have stored already.
  const fullScan = !folder.clean || folder.targetSeenUidNext === null || needsTargetUid || candidates.some((c) => c.row.state !== 'skipped' && known.has(c.row.sourceUid));
  const claimed = new Set<number>();
  for (const row of known.values()) if (row.targetUid !== null) claimed.add(row.targetUid);
  const index = await TargetIndex.load(io.target, fullScan ? 1 : folder.targetSeenUidNext!, claimed, settings.matchMode);
  claimed.clear();

  /** Candidates found on the target are recorded as found; the rest are returned to copy. */
  const claimCopies = (items: CopyItem[]): CopyItem[] => {
    const toCopy: CopyItem[] = [];
    const found: AppendedCopy[] = [];
    const firstSeen: MessageRow[] = [];
    for (const c of items) {
      const copy = index.claim(c.row.fingerprint);
      if (copy === null) {
        toCopy.push(c);
        continue;
      }
      // A copy stored without the flags its target sets only by STORE (killed before that STORE):
      // recorded without them, and they are stored in this pass.
      const later = missingLater(c.row.flags, copy.flags, look.tgt.permanentFlags, settings.appendFlags);
      const flags = flagsWithout(c.row.flags, later);
      found.push({ sourceUid: c.row.sourceUid, targetUid: copy.uid, flags });
      if (later.length > 0) report.storeLater.push({ sourceUid: c.row.sourceUid, targetUid: copy.uid, flags: later, sourceFlags: c.row.flags });
      if (!known.has(c.row.sourceUid)) firstSeen.push(c.row);
    }
    journal.recordFound(firstSeen, found);
    return toCopy;
  };

  const decidePage = (fresh: MessageMeta[]): ReturnType<Decisions['decidePage']> => {
    const items: CopyItem[] = [];
    const skipped: MessageRow[] = [];
    for (const m of fresh) {
      const row = rowOf(m, settings.matchMode);
      if (tooLarge(settings.maxMessageSize, m.size)) skipped.push({ ...row, state: 'skipped', reason: sizeReason(m.size, settings.maxMessageSize ?? 0) });
      else items.push({ row, internalDate: m.internalDate });
    }
    journal.recordSkipped(skipped);
    const toCopy = claimCopies(items);
    const found = { messages: items.length - toCopy.length, bytes: 0 };
    const copying = new Set(toCopy);
    for (const item of items) if (!copying.has(item)) found.bytes += item.row.size;
    return { toCopy, found };
  };

  const finish = (): void => {
    for (const change of look.flagChanges) {
      if (change.targetUid === null && !vanished.has(change.row.sourceUid)) change.targetUid = index.claim(change.row.fingerprint)?.uid ?? null;
    }
  };
  return { toCopy: claimCopies(candidates), vanished, decidePage, finish };
}

function itemOf(row: MessageRow): CopyItem {
  return { row, internalDate: row.internalDate === null ? null : new Date(row.internalDate) };
}

function rowOf(m: MessageMeta, mode: MatchMode): MessageRow {
  return {
    sourceUid: m.uid,
    state: 'pending',
    fingerprint: fingerprint(m, mode),
    messageId: m.messageId,
    size: m.size,
    internalDate: m.internalDate ? m.internalDate.getTime() : null,
    flags: flagsToText(m.flags),
    targetUid: null,
    reason: null,
    subject: m.subject,
  };
}

function tooLarge(limit: number | null, size: number): boolean {
  return limit !== null && size > limit;
}

function sizeReason(size: number, limit: number): string {
  return `larger than the target's limit (${megabytes(size)} > ${megabytes(limit)})`;
}
