import { CutoverError } from '../../../shared/errors.js';
import type { MessageRef } from '../../../shared/sync-types.js';
import type { ImapSession, OpenedFolder, RawMessage } from '../imap/imap-session.js';
import type { FolderRow } from '../state/sync-state.js';
import type { CopyContext } from './copy-folder.js';
import { collect, countDropped, throwIfCancelled, type BatchReport, type CopyItem } from './copy-shared.js';
import { flagsFromText, splitKeptFlags } from './message-flags.js';
import { mayHaveMaskedNul, restoreNulBytes } from './nul-recovery.js';
import type { ProgressMeter } from './progress-meter.js';
import type { FolderSummary } from '../../../shared/sync-types.js';

/**
 * Downloads batches one after another on the source connection and stores them through several
 * target connections ("lanes") at once: servers store one APPEND at a time per connection (with
 * an fsync each), so lanes are what makes a large folder fast. Downloads run at most one batch
 * ahead of the lanes, which bounds memory to (lanes + 1) batches.
 */
export async function copyAll(
  ctx: CopyContext,
  folder: FolderRow,
  tgt: OpenedFolder,
  plan: CopyItem[][],
  summary: FolderSummary,
  failed: MessageRef[],
  meter: ProgressMeter,
  flaggedCopies: number[],
): Promise<void> {
  if (plan.length === 0) return;
  const lanes = plan.length > 1 ? await ctx.appendLanes() : [ctx.target];
  const downloads = new Map<number, Promise<RawMessage[]>>();
  const startDownload = (i: number): void => {
    if (i >= plan.length || downloads.has(i)) return;
    const p = collect(ctx.source.fetchRaw(plan[i]!.map((c) => c.row.sourceUid)));
    // Awaited later; a failure must not surface as an unhandled rejection in the meantime.
    p.catch(() => undefined);
    downloads.set(i, p);
  };
  const halt = { stopped: false };
  let next = 0;
  const runLane = async (lane: ImapSession): Promise<void> => {
    try {
      while (!halt.stopped) {
        const i = next++;
        if (i >= plan.length) return;
        startDownload(i);
        startDownload(i + 1);
        const batch = plan[i]!;
        throwIfCancelled(ctx.signal);
        // Order matters: the intent is committed before the APPEND it announces.
        ctx.state.recordIntents(folder.id, batch.map((c) => c.row));
        await ctx.crash?.('after-intent');
        const raws = await downloads.get(i)!;
        downloads.delete(i);
        await copyBatch(ctx, folder, tgt, batch, raws, { summary, failed, meter, flaggedCopies }, lane, halt);
      }
    } catch (err) {
      // Every lane must have stopped before the error leaves: a retry must never run while an
      // old lane is still appending, or it could miss those messages and copy them twice.
      halt.stopped = true;
      throw err;
    }
  };
  const results = await Promise.allSettled(lanes.map(runLane));
  const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (firstError) throw firstError.reason;
}

async function copyBatch(
  ctx: CopyContext,
  folder: FolderRow,
  tgt: OpenedFolder,
  batch: CopyItem[],
  raws: RawMessage[],
  report: BatchReport,
  lane: ImapSession,
  halt: { stopped: boolean },
): Promise<void> {
  const byUid = new Map(batch.map((c) => [c.row.sourceUid, c]));
  const done: { sourceUid: number; targetUid: number | null; flags: string }[] = [];
  const maskedNul: { item: CopyItem; body: Buffer }[] = [];
  const seen = new Set<number>();
  const flush = (): void => {
    ctx.state.markCopied(folder.id, { path: folder.targetPath, uidValidity: tgt.uidValidity }, done.splice(0));
  };
  try {
    const ready: { item: CopyItem; bytes: Buffer }[] = [];
    for (const raw of raws) {
      const item = byUid.get(raw.uid);
      if (!item) continue;
      seen.add(raw.uid);
      if (mayHaveMaskedNul(raw.source) && ctx.source.hasCapability('BINARY')) maskedNul.push({ item, body: raw.source });
      else ready.push({ item, bytes: raw.source });
    }
    for (const { item, body } of maskedNul) {
      if (halt.stopped) break;
      const binary = await ctx.source.fetchBinary(item.row.sourceUid);
      const restored = binary ? restoreNulBytes(body, binary) : null;
      ready.push({ item, bytes: restored ? restored.bytes : body });
    }
    if (ready.length > 1 && lane.hasCapability('MULTIAPPEND') && !halt.stopped) {
      throwIfCancelled(ctx.signal);
      if (await appendGroup(ctx, lane, tgt, ready, report, done)) return;
    }
    for (const { item, bytes } of ready) {
      if (halt.stopped) break;
      await appendOne(ctx, lane, folder, tgt, item, bytes, report, done);
    }
  } finally {
    flush();
  }
  // Expunged on the source between listing and fetching: nothing to copy, drop the intent.
  if (!halt.stopped) for (const c of batch) if (!seen.has(c.row.sourceUid)) ctx.state.forget(folder.id, c.row.sourceUid);
}

/**
 * Stores a whole batch with one MULTIAPPEND. Returns false when the server refused the command
 * (nothing was stored, RFC 3502), so the caller retries message by message to learn which one
 * the server refuses and why.
 */
async function appendGroup(
  ctx: CopyContext,
  lane: ImapSession,
  tgt: OpenedFolder,
  ready: { item: CopyItem; bytes: Buffer }[],
  report: BatchReport,
  done: { sourceUid: number; targetUid: number | null; flags: string }[],
): Promise<boolean> {
  const { summary, meter } = report;
  const dropped: string[] = [];
  const messages = ready.map(({ item, bytes }) => {
    const split = splitKeptFlags([...flagsFromText(item.row.flags), ...(ctx.extraFlags?.(bytes) ?? [])], tgt.permanentFlags);
    dropped.push(...split.dropped);
    return { raw: bytes, flags: split.kept, internalDate: item.internalDate };
  });
  let res: { uids: number[] | null; uidValidity: number | null };
  try {
    const sending = lane.appendMany(tgt.path, messages);
    // Awaited below; a failure must not surface as an unhandled rejection while the hook runs.
    sending.catch(() => undefined);
    await ctx.crash?.('during-multiappend');
    res = await sending;
  } catch (err) {
    if (!(err instanceof CutoverError) || err.retryable) throw err;
    return false;
  }
  await ctx.crash?.('after-append');
  countDropped(summary, dropped);
  const sameValidity = res.uidValidity === null || res.uidValidity === tgt.uidValidity;
  ready.forEach(({ item }, i) => {
    const targetUid = sameValidity ? (res.uids?.[i] ?? null) : null;
    done.push({ sourceUid: item.row.sourceUid, targetUid, flags: item.row.flags });
    if (targetUid !== null && messages[i]!.flags.includes('\\Flagged')) report.flaggedCopies.push(targetUid);
    meter.add(1, item.row.size);
  });
  summary.copied += ready.length;
  emitProgress(ctx, meter);
  return true;
}

async function appendOne(
  ctx: CopyContext,
  lane: ImapSession,
  folder: FolderRow,
  tgt: OpenedFolder,
  item: CopyItem,
  bytes: Buffer,
  report: BatchReport,
  done: { sourceUid: number; targetUid: number | null; flags: string }[],
): Promise<void> {
  const { summary, failed, meter } = report;
  throwIfCancelled(ctx.signal);
  const { row } = item;
  const wanted = [...flagsFromText(row.flags), ...(ctx.extraFlags?.(bytes) ?? [])];
  const { kept, dropped } = splitKeptFlags(wanted, tgt.permanentFlags);
  countDropped(summary, dropped);
  try {
    const res = await lane.append(tgt.path, bytes, kept, item.internalDate);
    await ctx.crash?.('after-append');
    const targetUid = res.uidValidity === null || res.uidValidity === tgt.uidValidity ? res.uid : null;
    done.push({ sourceUid: row.sourceUid, targetUid, flags: row.flags });
    if (targetUid !== null && kept.includes('\\Flagged')) report.flaggedCopies.push(targetUid);
    summary.copied++;
  } catch (err) {
    if (!(err instanceof CutoverError) || err.retryable) throw err;
    const reason = err.detail ?? err.message;
    ctx.state.markFailed(folder.id, row.sourceUid, reason);
    const ref: MessageRef = { folder: folder.sourcePath, uid: row.sourceUid, reason, subject: row.subject ?? '', size: row.size };
    if (row.internalDate !== null) ref.date = new Date(row.internalDate).toISOString();
    failed.push(ref);
    ctx.refusedThisRun.set(`${folder.sourcePath}\0${row.sourceUid}`, ref);
    ctx.emit({ type: 'message-failed', message: ref });
    meter.add(1, row.size, false);
    emitProgress(ctx, meter);
    return;
  }
  meter.add(1, row.size);
  emitProgress(ctx, meter);
}

function emitProgress(ctx: CopyContext, meter: ProgressMeter): void {
  if (!meter.shouldEmit()) return;
  ctx.emit({ type: 'folder-progress', progress: meter.snapshot() });
  if (ctx.overall) ctx.emit({ type: 'overall', progress: ctx.overall.snapshot() });
}
