import type { MessageMeta, OpenedFolder } from '../imap/imap-types.js';
import { fingerprint } from '../mail/fingerprint.js';
import { flagsToText } from '../mail/message-flags.js';
import type { FolderRow, MessageRow } from '../state/sync-state.js';
import type { PlannedSizes } from './copy-plan.js';
import { collect } from './copy-shared.js';
import type { CopyRun, PassConnections } from './copy-run.js';

/** Source envelopes read and decided at once: bounds a pass's metadata whatever the folder's size. */
export const FRESH_PAGE = 1000;

/** What a folder pass knows after looking at both folders, before deciding anything. */
export interface FolderLook {
  /** The folder's journal row, with this pass's UIDVALIDITYs. */
  folder: FolderRow;
  src: OpenedFolder;
  tgt: OpenedFolder;
  /** Every message the source folder holds now, UID → size: the folder's total. */
  sizes: Map<number, number>;
  /** The journal's rows of the folder. */
  known: Map<number, MessageRow>;
  /** How many source messages the journal has never seen. */
  freshCount: number;
  /**
   * Their envelopes, page by page in UID order, read when the pass gets to them: a large folder's
   * envelopes are never all in memory at once.
   */
  freshPages: () => AsyncGenerator<MessageMeta[]>;
  /** Copied messages whose flags on the source changed since they were carried over. */
  flagChanges: FlagChange[];
}

export interface FlagChange {
  row: MessageRow;
  /** The source's flags now (canonical text). */
  flags: string;
  /** The copy to change (null: not known; step 2 looks for it on the target). */
  targetUid: number | null;
}

/**
 * Step 1 of a folder pass: EXAMINE the source, SELECT the target, re-match the journal after a new
 * UIDVALIDITY on either side, and read what is new and which flags changed. Writes nothing but
 * the journal's re-keying.
 */
export async function lookAtFolder(run: CopyRun, io: PassConnections, sourcePath: string, targetPath: string, planned?: PlannedSizes): Promise<FolderLook> {
  const { journal } = run;
  const src = await io.source.examine(sourcePath);
  const tgt = await io.target.select(targetPath);
  let folder = journal.folder(run.pairId, sourcePath, targetPath);

  // A new UIDVALIDITY on the source: old UIDs are meaningless, re-match remembered messages by fingerprint.
  let prefetched: MessageMeta[] | null = null;
  if (folder.sourceUidValidity !== null && folder.sourceUidValidity !== src.uidValidity) {
    prefetched = await collect(io.source.fetchMeta('1:*'));
    await run.crash?.('during-uidvalidity-rematch');
    rekeySource(run, folder, prefetched, src);
  }
  if (folder.targetUidValidity !== null && folder.targetUidValidity !== tgt.uidValidity) {
    journal.forgetTargetUids(folder.id, tgt.uidValidity);
  }
  journal.setUidValidities(folder.id, src.uidValidity, tgt.uidValidity);
  folder = journal.folder(run.pairId, sourcePath, targetPath);

  // What the source holds now (UIDs and sizes): the folder's total, and which journal rows still count.
  // Read by the plan a moment ago when nothing changed since (copy-plan.ts, PlannedSizes).
  const reused = planned?.take(src) ?? null;
  let sizes = new Map<number, number>();
  if (prefetched) for (const m of prefetched) sizes.set(m.uid, m.size);
  else if (reused) sizes = reused;
  else if (src.exists > 0) sizes = await io.source.sizesOf('1:*');

  const known = journal.messages(folder.id);
  const maxKnown = maxKey(known);

  // The source's UIDs the journal has never seen (all above the highest it knows); messages that
  // arrive from here on are left for the next run, whose STATUS shows them.
  const freshUids: number[] = [];
  for (const uid of sizes.keys()) if (uid > maxKnown && !known.has(uid)) freshUids.push(uid);
  freshUids.sort((a, b) => a - b);
  const freshPages = async function* (): AsyncGenerator<MessageMeta[]> {
    const wanted = new Set<number>();
    for (let at = 0; at < freshUids.length; at += FRESH_PAGE) {
      const uids = freshUids.slice(at, at + FRESH_PAGE);
      wanted.clear();
      for (const uid of uids) wanted.add(uid);
      const page = prefetched
        ? prefetched.filter((m) => wanted.has(m.uid))
        : (await io.source.metaPage(`${uids[0]}:${uids[uids.length - 1]}`)).filter((m) => wanted.has(m.uid));
      if (page.length > 0) yield page;
    }
  };

  // Flag changes since the last clean pass (CONDSTORE narrows it down; without it, every flag is read).
  const flagChanges: FlagChange[] = [];
  if (known.size > 0 && !(folder.clean && src.highestModseq !== null && folder.seenModseq === src.highestModseq)) {
    const since = folder.clean && folder.seenModseq !== null && src.highestModseq !== null ? folder.seenModseq : undefined;
    for await (const { uid, flags } of io.source.fetchFlags(`1:${maxKnown}`, since)) {
      const row = known.get(uid);
      const text = flagsToText(flags);
      if (row && row.state === 'done' && text !== row.flags) flagChanges.push({ row, flags: text, targetUid: row.targetUid });
    }
  }
  return { folder, src, tgt, sizes, known, freshCount: freshUids.length, freshPages, flagChanges };
}

function rekeySource(run: CopyRun, folder: FolderRow, metas: MessageMeta[], src: OpenedFolder): void {
  const byFingerprint = new Map<string, number[]>();
  for (const m of metas) {
    const fp = fingerprint(m, run.settings.matchMode);
    const list = byFingerprint.get(fp);
    if (list) list.push(m.uid);
    else byFingerprint.set(fp, [m.uid]);
  }
  const newUids = new Map<number, number>();
  for (const row of run.journal.messages(folder.id).values()) {
    const uid = byFingerprint.get(row.fingerprint)?.shift();
    if (uid !== undefined) newUids.set(row.sourceUid, uid);
  }
  run.journal.rekeySource(folder.id, newUids, src.uidValidity);
}

function maxKey(map: Map<number, unknown>): number {
  let max = 0;
  for (const k of map.keys()) if (k > max) max = k;
  return max;
}
