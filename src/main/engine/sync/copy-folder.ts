import { CutoverError } from '../../../shared/errors.js';
import type { FolderMapping } from '../../../shared/folder-mapping.js';
import type { FolderSummary, MessageRef, SyncEvent } from '../../../shared/sync-types.js';
import type { ImapSession, MessageMeta, OpenedFolder } from '../imap/imap-session.js';
import type { FolderRow, MessageRow, SyncState } from '../state/sync-state.js';
import type { CrashHook } from './crash-points.js';
import { fingerprint, type MatchMode } from './fingerprint.js';
import { flagsFromText, flagsToText, splitKeptFlags } from './message-flags.js';
import { ProgressMeter, type OverallMeter } from './progress-meter.js';
import { TargetIndex } from './target-index.js';
import { collect, countDropped, throwIfCancelled, type CopyItem } from './copy-shared.js';
import { copyAll } from './store-batches.js';

export { throwIfCancelled };

export interface CopyContext {
  state: SyncState;
  pairId: number;
  source: ImapSession;
  target: ImapSession;
  matchMode: MatchMode;
  maxMessageSize: number | null;
  signal: AbortSignal;
  emit: (event: SyncEvent) => void;
  /** Upper bound of message bytes fetched per round trip; bounds memory per connection. */
  batchBytes: number;
  /** Target connections to append through in parallel (the first is `target`). */
  appendLanes: () => Promise<ImapSession[]>;
  /**
   * Messages the target refused during this run, by "folder\0uid". Shared by every attempt of the
   * run so that a reconnect (e.g. after Exchange's BYE following a burst of refusals) does not send
   * them again and again; the next run retries them.
   */
  refusedThisRun: Map<string, MessageRef>;
  /**
   * Messages copied per source folder during this run, across reconnect attempts, so a pass that
   * is run again after a dropped connection still reports what the first attempt copied as copied.
   */
  copiedThisRun: Map<string, number>;
  /** All folders together (null when the caller does not follow overall progress). */
  overall: OverallMeter | null;
  /** Named crash points, for tests only (see crash-points.ts). */
  crash: CrashHook | null;
  /** Check that messages copied before are still on the target, and copy again the ones that are not. */
  verifyTarget?: boolean;
  /** Exchange may not show \Flagged set by APPEND: set it again with STORE afterwards. */
  storeFlaggedAfterAppend?: boolean;
  /** Extra flags for one message on top of the source's (e.g. $MDNSent for Exchange). */
  extraFlags?: (raw: Buffer) => string[];
}

export interface FolderResult {
  summary: FolderSummary;
  skipped: MessageRef[];
  failed: MessageRef[];
  /** The pass stopped early on request; `summary` counts what was done until then. */
  cancelled: boolean;
}


/**
 * One pass over one folder pair. Safe to re-run at any point: every APPEND is preceded by a
 * committed intent, and intents left over by a killed run are resolved by looking on the target
 * (TargetIndex) before anything is sent again.
 */
export async function copyFolder(ctx: CopyContext, mapping: FolderMapping): Promise<FolderResult> {
  const targetPath = mapping.target;
  if (targetPath === null) throw new Error('copyFolder called for an excluded folder');
  const src = await ctx.source.open(mapping.source, true);
  const tgt = await ctx.target.open(targetPath, false);
  const summary: FolderSummary = {
    source: mapping.source,
    target: targetPath,
    copied: ctx.copiedThisRun.get(mapping.source) ?? 0,
    alreadyPresent: 0,
    flagsUpdated: 0,
    failed: 0,
    skipped: 0,
    total: src.exists,
    keywordsNotKept: {},
  };
  try {
    return await folderPass(ctx, mapping, targetPath, src, tgt, summary);
  } finally {
    ctx.copiedThisRun.set(mapping.source, summary.copied);
  }
}

async function folderPass(ctx: CopyContext, mapping: FolderMapping, targetPath: string, src: OpenedFolder, tgt: OpenedFolder, summary: FolderSummary): Promise<FolderResult> {
  const { state } = ctx;
  const copiedEarlier = summary.copied;
  let folder = state.folder(ctx.pairId, mapping.source, targetPath);
  const failed: MessageRef[] = [];
  const refusedKey = (uid: number): string => `${mapping.source}\0${uid}`;
  const flaggedCopies: number[] = [];

  // A new UIDVALIDITY on the source: old UIDs are meaningless, re-match remembered messages by fingerprint.
  let prefetched: MessageMeta[] | null = null;
  if (folder.sourceUidValidity !== null && folder.sourceUidValidity !== src.uidValidity) {
    prefetched = await collect(ctx.source.fetchMeta('1:*'));
    await ctx.crash?.('during-uidvalidity-rematch');
    rekeySource(ctx, folder, prefetched, src);
  }
  if (folder.targetUidValidity !== null && folder.targetUidValidity !== tgt.uidValidity) {
    state.forgetTargetUids(folder.id, tgt.uidValidity);
  }
  state.setUidValidities(folder.id, src.uidValidity, tgt.uidValidity);
  folder = state.folder(ctx.pairId, mapping.source, targetPath);

  // What the source holds now (UIDs and sizes): the folder's total, and which journal rows still count.
  const sizes = new Map<number, number>();
  if (prefetched) for (const m of prefetched) sizes.set(m.uid, m.size);
  else if (src.exists > 0) for await (const m of ctx.source.fetchSizes('1:*')) sizes.set(m.uid, m.size);

  const known = state.messages(folder.id);
  const maxKnown = maxKey(known);

  // 1. Messages the source has that we have never seen.
  const fresh: MessageMeta[] = [];
  if (src.exists > 0 && src.uidNext - 1 > maxKnown) {
    for (const m of prefetched ?? (await collect(ctx.source.fetchMeta(`${maxKnown + 1}:*`)))) {
      if (m.uid > maxKnown && !known.has(m.uid)) {
        fresh.push(m);
        sizes.set(m.uid, m.size);
      }
    }
  }

  // 2. Flag changes on the source since the last clean pass (CONDSTORE narrows it down).
  const flagChanges: { row: MessageRow; flags: string }[] = [];
  if (known.size > 0 && !(folder.clean && src.highestModseq !== null && folder.seenModseq === src.highestModseq)) {
    const since = folder.clean && folder.seenModseq !== null && src.highestModseq !== null ? folder.seenModseq : undefined;
    for await (const { uid, flags } of ctx.source.fetchFlags(`1:${maxKnown}`, since)) {
      const row = known.get(uid);
      const text = flagsToText(flags);
      if (row && row.state === 'done' && text !== row.flags) flagChanges.push({ row, flags: text });
    }
  }

  // 3. Decide: skip (too large), already on the target, or copy.
  const skippedRows: MessageRow[] = [];
  const toCopy: CopyItem[] = [];
  const candidates: CopyItem[] = [];
  for (const row of known.values()) {
    if (row.state === 'failed' && ctx.refusedThisRun.has(refusedKey(row.sourceUid))) continue;
    if (row.state === 'pending' || row.state === 'failed') candidates.push({ row, internalDate: row.internalDate === null ? null : new Date(row.internalDate) });
    else if (row.state === 'skipped' && !tooLarge(ctx, row.size)) candidates.push({ row, internalDate: row.internalDate === null ? null : new Date(row.internalDate) });
  }
  for (const m of fresh) {
    const row = rowOf(m, ctx.matchMode);
    if (tooLarge(ctx, m.size)) skippedRows.push({ ...row, state: 'skipped', reason: sizeReason(ctx, m.size) });
    else candidates.push({ row, internalDate: m.internalDate });
  }
  state.recordSkipped(folder.id, skippedRows);

  // Repair: messages copied earlier whose copy is no longer on the target (deleted there, or lost
  // by the server) are looked for and copied again. Costs one UID listing of the target folder.
  const vanishedUids = new Set<number>();
  if (ctx.verifyTarget && known.size > 0) {
    const present = new Set<number>();
    if (tgt.exists > 0) for await (const { uid } of ctx.target.fetchFlags('1:*')) present.add(uid);
    const vanished = [...known.values()].filter((row) => row.state === 'done' && (row.targetUid === null || !present.has(row.targetUid)));
    if (vanished.length > 0) await ctx.crash?.('during-repair');
    for (const row of vanished) {
      vanishedUids.add(row.sourceUid);
      row.targetUid = null;
      candidates.push({ row: { ...row, state: 'pending' }, internalDate: row.internalDate === null ? null : new Date(row.internalDate) });
    }
  }

  const needsTargetUid = flagChanges.some((c) => c.row.targetUid === null);
  if (candidates.length > 0 || needsTargetUid) {
    const fullScan = !folder.clean || folder.targetSeenUidNext === null || needsTargetUid || candidates.some((c) => c.row.state !== 'skipped' && known.has(c.row.sourceUid));
    const claimed = new Set<number>();
    for (const row of known.values()) if (row.targetUid !== null) claimed.add(row.targetUid);
    const index = await TargetIndex.load(ctx.target, fullScan ? 1 : folder.targetSeenUidNext!, claimed, ctx.matchMode);
    const found: { sourceUid: number; targetUid: number | null; flags: string }[] = [];
    const foundNew: MessageRow[] = [];
    for (const c of candidates) {
      const targetUid = index.claim(c.row.fingerprint);
      if (targetUid === null) {
        toCopy.push(c);
        continue;
      }
      found.push({ sourceUid: c.row.sourceUid, targetUid, flags: c.row.flags });
      if (!known.has(c.row.sourceUid)) foundNew.push(c.row);
    }
    state.recordIntents(folder.id, foundNew);
    state.markDone(folder.id, found);
    for (const change of flagChanges) {
      if (change.row.targetUid === null) change.row.targetUid = index.claim(change.row.fingerprint);
    }
  }

  // 4. Copy, in batches bounded by bytes. What is on the target already (copied before, found
  // there, or copied by an earlier attempt of this run) is where this folder's progress starts.
  const onTarget = state.doneAmong(folder.id, sizes);
  // Copies that vanished from the target are still `done` in the journal until copied again: not there.
  for (const c of toCopy) {
    const size = vanishedUids.has(c.row.sourceUid) ? sizes.get(c.row.sourceUid) : undefined;
    if (size === undefined) continue;
    onTarget.messages--;
    onTarget.bytes -= size;
  }
  summary.alreadyPresent = Math.max(0, onTarget.messages - copiedEarlier);
  summary.total = sizes.size;
  const meter = new ProgressMeter(mapping.source, targetPath, sizes.size, sum(sizes.values()), onTarget, ctx.overall);
  ctx.emit({ type: 'folder-start', progress: meter.snapshot() });
  try {
    await copyAll(ctx, folder, tgt, [...batches(toCopy, ctx.batchBytes)], summary, failed, meter, flaggedCopies);
  } catch (err) {
    // Cancelled: what was stored is recorded; report it, and leave the rest for the next run.
    if (err instanceof CutoverError && err.code === 'cancelled') {
      summary.failed = failed.length;
      ctx.emit({ type: 'folder-progress', progress: meter.snapshot() });
      return { summary, skipped: [], failed, cancelled: true };
    }
    throw err;
  }

  // Order matters: `done` is committed for every copy above before any flag is stored below.
  if (flaggedCopies.length > 0 || flagChanges.some((c) => c.row.targetUid !== null)) await ctx.crash?.('before-flags-store');

  // Exchange quirk: re-assert \Flagged with STORE so Outlook shows the flag.
  if (ctx.storeFlaggedAfterAppend) {
    for (const uid of flaggedCopies) {
      try {
        await ctx.target.setFlags(uid, ['\\Flagged'], 'add');
      } catch (err) {
        if (err instanceof CutoverError && err.retryable) throw err;
      }
    }
  }

  // 5. Carry flag changes over (one way: source → target).
  const flagUpdates: { sourceUid: number; flags: string }[] = [];
  for (const change of flagChanges) {
    throwIfCancelled(ctx.signal);
    if (change.row.targetUid === null) continue;
    const { kept, dropped } = splitKeptFlags(flagsFromText(change.flags), tgt.permanentFlags);
    countDropped(summary, dropped);
    try {
      await ctx.target.setFlags(change.row.targetUid, kept);
      flagUpdates.push({ sourceUid: change.row.sourceUid, flags: change.flags });
      summary.flagsUpdated++;
    } catch (err) {
      if (err instanceof CutoverError && err.retryable) throw err;
      failed.push({ folder: mapping.source, uid: change.row.sourceUid, reason: `flags not updated: ${(err as Error).message}` });
    }
  }
  state.updateFlags(folder.id, flagUpdates);

  // 6. Remember what the source looked like, so an unchanged folder is skipped next time.
  const clean = state.countUnsettled(folder.id) === 0;
  const done = state.doneAmong(folder.id, sizes);
  state.saveSnapshot(
    folder.id,
    {
      sourceUidValidity: src.uidValidity,
      targetUidValidity: tgt.uidValidity,
      seenUidNext: src.uidNext,
      seenModseq: src.highestModseq,
      seenMessages: src.exists,
      targetSeenUidNext: (await ctx.target.open(targetPath, false)).uidNext,
      seenBytes: sum(sizes.values()),
      seenDone: done.messages,
    },
    clean,
  );
  const skipped = skippedRefs(state, folder.id, mapping.source);
  // Refusals from earlier attempts of this run (before a reconnect) belong in this folder's report.
  for (const [key, ref] of ctx.refusedThisRun) {
    if (key.startsWith(`${mapping.source}\0`) && !failed.some((f) => f.uid === ref.uid)) failed.push(ref);
  }
  summary.failed = failed.length;
  summary.skipped = skipped.length;
  ctx.overall?.folderDone(mapping.source, done.messages, done.bytes);
  ctx.overall?.folderFinished(summary.failed, summary.skipped);
  ctx.emit({ type: 'folder-done', summary });
  if (ctx.overall) ctx.emit({ type: 'overall', progress: ctx.overall.snapshot() });
  return { summary, skipped, failed, cancelled: false };
}

function rekeySource(ctx: CopyContext, folder: FolderRow, metas: MessageMeta[], src: OpenedFolder): void {
  const byFingerprint = new Map<string, number[]>();
  for (const m of metas) {
    const fp = fingerprint(m, ctx.matchMode);
    const list = byFingerprint.get(fp);
    if (list) list.push(m.uid);
    else byFingerprint.set(fp, [m.uid]);
  }
  const newUids = new Map<number, number>();
  for (const row of ctx.state.messages(folder.id).values()) {
    const uid = byFingerprint.get(row.fingerprint)?.shift();
    if (uid !== undefined) newUids.set(row.sourceUid, uid);
  }
  ctx.state.rekeySource(folder.id, newUids, src.uidValidity);
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

function* batches(items: CopyItem[], maxBytes: number): Generator<CopyItem[]> {
  let batch: CopyItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (batch.length > 0 && (bytes + item.row.size > maxBytes || batch.length >= 500)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.row.size;
  }
  if (batch.length > 0) yield batch;
}

function tooLarge(ctx: CopyContext, size: number): boolean {
  return ctx.maxMessageSize !== null && size > ctx.maxMessageSize;
}

function sizeReason(ctx: CopyContext, size: number): string {
  return `larger than the target's limit (${formatMb(size)} > ${formatMb(ctx.maxMessageSize ?? 0)})`;
}

function formatMb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** The messages of a folder left out because of the size limit, as the summary lists them. */
export function skippedRefs(state: SyncState, folderId: number, folder: string): MessageRef[] {
  return state.rowsInState(folderId, 'skipped').map((r) => {
    const ref: MessageRef = { folder, uid: r.sourceUid, reason: r.reason ?? 'skipped', subject: r.subject ?? '', size: r.size };
    if (r.internalDate !== null) ref.date = new Date(r.internalDate).toISOString();
    return ref;
  });
}



function sum(values: Iterable<number>): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}

function maxKey(map: Map<number, unknown>): number {
  let max = 0;
  for (const k of map.keys()) if (k > max) max = k;
  return max;
}


