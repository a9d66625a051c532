import type { FolderMapping } from '../../../shared/folder-mapping.js';
import type { PlannedFolder, SyncPlan } from '../../../shared/sync-types.js';
import type { FolderStatus, OpenedFolder } from '../imap/imap-types.js';
import type { SourceReader } from '../imap/source-reader.js';
import type { FolderRow, SyncState } from '../state/sync-state.js';

export interface PlanInput {
  source: SourceReader;
  state: SyncState;
  pairId: number;
  mapping: FolderMapping[];
  /** STATUS of each source folder from the listing (null where the server gave none). */
  statusByPath: Map<string, FolderStatus | null>;
  /** Repair looks at every folder, changed or not. */
  verifyTarget: boolean;
  maxMessageSize: number | null;
}

export interface CopyPlan {
  plan: SyncPlan;
  /** Folders to open and copy, in order, with the sizes the plan read (for their pass to reuse). */
  work: (MappedFolder & { sizes: PlannedSizes })[];
  /** Folders unchanged since their last clean pass: not opened at all. */
  unchanged: { mapping: MappedFolder; row: FolderRow }[];
}

/** A selected folder with the target it goes to. */
export type MappedFolder = FolderMapping & { target: string };

/**
 * Every selected folder's messages and bytes, before the first APPEND, so the overall total is
 * known from the start and never grows. Changed folders cost one EXAMINE and a FETCH of UIDs and
 * sizes; unchanged ones (same STATUS as after their last clean pass) are planned from the journal.
 */
export async function planCopy(input: PlanInput): Promise<CopyPlan> {
  const { state, pairId } = input;
  const known = state.folders(pairId);
  const folders: PlannedFolder[] = [];
  const work: CopyPlan['work'] = [];
  const unchanged: CopyPlan['unchanged'] = [];
  const leftOut: string[] = [];
  for (const m of input.mapping) {
    if (!m.selectable) continue;
    if (m.target === null) {
      leftOut.push(m.source);
      continue;
    }
    const row = known.get(m.source);
    const status = input.statusByPath.get(m.source) ?? null;
    if (row && !input.verifyTarget && unchangedSince(row, status, m.target, state, input.maxMessageSize)) {
      const messages = row.seenMessages ?? 0;
      const bytes = row.seenBytes ?? 0;
      const done = Math.min(row.seenDone ?? 0, messages);
      folders.push({ source: m.source, target: m.target, messages, bytes, alreadyDone: done, alreadyDoneBytes: messages === 0 ? 0 : Math.round((bytes * done) / messages) });
      state.savePlan(row.id, messages, bytes);
      unchanged.push({ mapping: { ...m, target: m.target }, row });
      continue;
    }
    const box = await input.source.examine(m.source);
    const sizes = box.exists > 0 ? await input.source.sizesOf('1:*') : new Map<number, number>();
    let bytes = 0;
    for (const size of sizes.values()) bytes += size;
    const folderRow = state.folder(pairId, m.source, m.target);
    // After a new UIDVALIDITY the journal's UIDs name other messages until the pass re-matches them.
    const sameUids = folderRow.sourceUidValidity === null || folderRow.sourceUidValidity === box.uidValidity;
    const done = sameUids ? state.doneAmong(folderRow.id, sizes) : { messages: 0, bytes: 0 };
    folders.push({ source: m.source, target: m.target, messages: sizes.size, bytes, alreadyDone: done.messages, alreadyDoneBytes: done.bytes });
    state.savePlan(folderRow.id, sizes.size, bytes);
    work.push({ ...m, target: m.target, sizes: new PlannedSizes(box, sizes) });
  }
  const plan: SyncPlan = {
    folders,
    messages: folders.reduce((n, f) => n + f.messages, 0),
    bytes: folders.reduce((n, f) => n + f.bytes, 0),
    alreadyDone: folders.reduce((n, f) => n + f.alreadyDone, 0),
    alreadyDoneBytes: folders.reduce((n, f) => n + f.alreadyDoneBytes, 0),
    leftOut,
  };
  return { plan, work, unchanged };
}

/**
 * The fast path of a no-op rerun: the last pass over this folder was clean and STATUS shows the
 * same UIDNEXT, message count and HIGHESTMODSEQ (so no new message and no flag change).
 * Without CONDSTORE, flag changes cannot be seen from STATUS, so the folder is always looked at.
 */
function unchangedSince(row: FolderRow, status: FolderStatus | null, targetPath: string, state: SyncState, maxMessageSize: number | null): boolean {
  if (!status || !row.clean || row.targetPath !== targetPath) return false;
  if (row.seenBytes === null || row.seenDone === null) return false;
  if (status.highestModseq === null || row.seenModseq !== status.highestModseq) return false;
  if (row.sourceUidValidity !== status.uidValidity || row.seenUidNext !== status.uidNext || row.seenMessages !== status.messages) return false;
  if (state.countUnsettled(row.id) > 0) return false;
  // A raised size limit means some skipped messages may fit now.
  return !state.rowsInState(row.id, 'skipped').some((r) => maxMessageSize === null || r.size <= maxMessageSize);
}

/**
 * A folder's UIDs and sizes as the plan read them, for the folder's pass to use instead of reading
 * them again (10,000 messages: ~0.1 s, in series with nothing else). Valid while EXAMINE shows the
 * same UIDVALIDITY, UIDNEXT and message count: a new message raises UIDNEXT, an expunge lowers the
 * count, so the same three mean the same messages. Held packed (16 bytes a message) until taken,
 * then forgotten, so a run holds them only for the folders it has still to do.
 */
export class PlannedSizes {
  private packed: Float64Array | null;

  constructor(
    private readonly planned: Pick<OpenedFolder, 'uidValidity' | 'uidNext' | 'exists'>,
    sizes: Map<number, number>,
  ) {
    this.packed = new Float64Array(sizes.size * 2);
    let at = 0;
    for (const [uid, size] of sizes) {
      this.packed[at++] = uid;
      this.packed[at++] = size;
    }
  }

  /**
   * The sizes if the folder is as planned (once; null after, or when it changed, a server gave no
   * UIDNEXT, or its answer named fewer or more messages than it said the folder holds).
   */
  take(now: Pick<OpenedFolder, 'uidValidity' | 'uidNext' | 'exists'>): Map<number, number> | null {
    const packed = this.packed;
    this.packed = null;
    const { planned } = this;
    if (!packed || packed.length / 2 !== planned.exists) return null;
    if (!(now.uidNext > 0) || now.uidValidity !== planned.uidValidity || now.uidNext !== planned.uidNext || now.exists !== planned.exists) return null;
    const sizes = new Map<number, number>();
    for (let at = 0; at < packed.length; at += 2) sizes.set(packed[at]!, packed[at + 1]!);
    return sizes;
  }
}
