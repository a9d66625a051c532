import { CutoverError } from '../../../shared/errors.js';
import type { MessageRef } from '../../../shared/sync-types.js';
import type { OpenedFolder, RawMessage } from '../imap/imap-types.js';
import type { TargetWriter } from '../imap/target-writer.js';
import type { AppendedCopy } from '../state/sync-state.js';
import { copyFlags, type CopyFlags } from './append-flags.js';
import { isCancelled, throwIfCancelled, type CopyItem } from './copy-shared.js';
import { bytesLength, headerBytes, joinBytes } from '../mail/message-bytes.js';
import type { CopyRun, PassConnections } from './copy-run.js';
import type { FolderJournal } from './folder-journal.js';
import { ByteBudget } from './byte-budget.js';
import { BatchBlocks } from './message-blocks.js';
import { mayHaveMaskedNul, restoreNulBytes } from './nul-recovery.js';
import type { PassReport } from './pass-report.js';
import type { ProgressMeter } from './progress-meter.js';

/** What steps 3–5 of a folder pass (record intents → store → record completions) work with. */
export interface StoreJob {
  run: CopyRun;
  io: PassConnections;
  journal: FolderJournal;
  /** The target folder as this pass selected it. */
  tgt: OpenedFolder;
  report: PassReport;
  meter: ProgressMeter;
}

/** One message ready to store: its journal item and its bytes exactly as the source has them (in pieces). */
interface Ready {
  item: CopyItem;
  parts: readonly Buffer[];
}

/** A downloaded batch, the bytes of the budget it holds until it is stored, and the blocks its bytes are in. */
interface Download {
  raws: RawMessage[];
  taken: number;
  blocks: BatchBlocks;
}

/**
 * Downloads batches one after another on the source connection and stores them through one or
 * more target connections ("lanes") at once: servers store one APPEND at a time per connection
 * (with an fsync each), so over a slow link lanes are what makes a large folder fast. How many is
 * measured as the copy goes (lane-tuner.ts): it starts with the most and drops a lane while one
 * fewer is as fast. Each lane asks for the
 * batch after its own too, so the source downloads while the lanes append. Every batch takes its bytes from
 * one budget (byte-budget.ts) before its FETCH and gives them back once stored: whatever the
 * lanes and the message sizes, the bytes held are bounded by `settings.memoryBytes`.
 */
export async function storeAll(job: StoreJob, batches: CopyItem[][]): Promise<void> {
  if (batches.length === 0) return;
  const { run, io } = job;
  const tuner = run.lanes;
  const budget = new ByteBudget(run.settings.memoryBytes);
  const downloads = new Map<number, Promise<Download>>();
  const startDownload = (i: number): void => {
    if (i >= batches.length || downloads.has(i)) return;
    const batch = batches[i]!;
    const p = (async (): Promise<Download> => {
      const taken = await budget.take(batch.reduce((n, c) => n + c.row.size, 0));
      const blocks = new BatchBlocks(run.blocks);
      try {
        return { raws: await download(io, batch, blocks), taken, blocks };
      } catch (err) {
        blocks.release();
        budget.give(taken);
        throw err;
      }
    })();
    // Awaited later; a failure must not surface as an unhandled rejection in the meantime.
    p.catch(() => undefined);
    downloads.set(i, p);
  };
  const halt = { stopped: false };
  let next = 0;
  // Lanes still logging in: each will take a batch, so no more join than batches are left.
  let joining = 0;
  // Lanes log in one after another, in index order (lane 0 stores meanwhile): a server's limit on
  // connections then refuses the lanes above it, never one below while higher ones got in.
  let loginTurn: Promise<void> = Promise.resolve();
  const runLane = async (index: number): Promise<void> => {
    try {
      let lane = io.target;
      if (index > 0) {
        joining++;
        const before = loginTurn;
        let myTurnDone!: () => void;
        loginTurn = new Promise<void>((resolve) => (myTurnDone = resolve));
        try {
          await before;
          // Capped or dropped while it waited for its turn: no login.
          if (halt.stopped || index >= (tuner?.wanted ?? 1)) return;
          lane = await io.lane(index);
        } catch (err) {
          // The pair's own connection works, so a lane refused at login is the server's limit on
          // connections at once (many hosts allow 2 to 4): this many lanes is all this run gets.
          if (isCancelled(err)) throw err;
          tuner?.cap(index);
          return;
        } finally {
          joining--;
          myTurnDone();
        }
        // A lane's first login is not part of the throughput it is judged by.
        tuner?.joined(index);
      }
      // A lane the tuner no longer wants stops after its batch (see lane-tuner.ts).
      while (!halt.stopped && index < (tuner?.wanted ?? 1)) {
        const i = next++;
        if (i >= batches.length) {
          // The page's tail: fewer lanes than wanted are still storing, so what is stored from here
          // on is not the throughput of that many lanes; the window goes on with the next page.
          tuner?.pause();
          return;
        }
        startDownload(i);
        startDownload(i + 1);
        const batch = batches[i]!;
        throwIfCancelled(run.signal);
        // Order matters: the intent is committed before the APPEND it announces.
        job.journal.recordIntents(batch.map((c) => c.row));
        await run.crash?.('after-intent');
        const { raws, taken, blocks } = await downloads.get(i)!;
        downloads.delete(i);
        try {
          await storeBatch(job, lane, batch, raws, halt);
        } finally {
          // Stored or given up: nothing reads these bytes any more.
          blocks.release();
          budget.give(taken);
        }
        // A message as large as the whole budget is stored alone while the other lanes wait: what
        // such a stretch measures is that message, not the lanes, so the measurement starts over.
        if (taken >= budget.total) tuner?.startWindow();
        else tuner?.stored(taken, index);
        addLanes();
      }
    } catch (err) {
      // Every lane must have stopped before the error leaves: a retry must never run while an
      // old lane is still appending, or it could miss those messages and copy them twice.
      halt.stopped = true;
      throw err;
    }
  };
  const workers: Promise<void>[] = [];
  // Lanes appending now, by index: a lane the tuner dropped has ended, and comes back (with its
  // index, so its connection) when the tuner wants it again.
  const active = new Set<number>();
  const addLanes = (): void => {
    const wanted = tuner?.wanted ?? 1;
    for (let index = 0; index < wanted && next + joining < batches.length && !halt.stopped; index++) {
      if (active.has(index)) continue;
      active.add(index);
      workers.push(runLane(index).finally(() => active.delete(index)));
    }
  };
  tuner?.resume();
  addLanes();
  // Lanes join while others run: wait until every lane started so far has ended.
  const results: PromiseSettledResult<void>[] = [];
  while (results.length < workers.length) results.push(...(await Promise.allSettled(workers.slice(results.length))));
  tuner?.pause();
  const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (firstError) throw firstError.reason;
}

/** A message at least this large is downloaded in slices (it is always alone in its batch). */
const SLICED_FROM = 2 * 1024 * 1024;
const SLICE = 1024 * 1024;

/** A batch's bytes from the source: one FETCH, or a large message on its own (see fetchLarge). */
async function download(io: PassConnections, batch: CopyItem[], blocks: BatchBlocks): Promise<RawMessage[]> {
  const only = batch.length === 1 ? batch[0]! : null;
  if (only && only.row.size >= SLICED_FROM) {
    const raw = await io.source.fetchLarge(only.row.sourceUid, only.row.size, SLICE, blocks.room);
    return raw ? [raw] : [];
  }
  return io.source.fetchRaw(batch.map((c) => c.row.sourceUid), blocks.room);
}

/** One batch through one lane: MULTIAPPEND where the server has it, else (or after its NO) one APPEND each. */
async function storeBatch(job: StoreJob, lane: TargetWriter, batch: CopyItem[], raws: RawMessage[], halt: { stopped: boolean }): Promise<void> {
  const { run, io, journal } = job;
  const byUid = new Map(batch.map((c) => [c.row.sourceUid, c]));
  const completions: AppendedCopy[] = [];
  const seen = new Set<number>();
  try {
    const ready: Ready[] = [];
    const maskedNul: Ready[] = [];
    for (const raw of raws) {
      const item = byUid.get(raw.uid);
      // Not asked for, or a second answer for the same message: stored once.
      if (!item || seen.has(raw.uid)) continue;
      seen.add(raw.uid);
      if (mayHaveMaskedNul(raw.parts) && io.source.hasCapability('BINARY')) maskedNul.push({ item, parts: raw.parts });
      else ready.push({ item, parts: raw.parts });
    }
    for (const { item, parts } of maskedNul) {
      if (halt.stopped) break;
      const binary = await io.source.fetchBinary(item.row.sourceUid);
      const restored = binary ? restoreNulBytes(joinBytes(parts), binary) : null;
      ready.push({ item, parts: restored ? [restored.bytes] : parts });
    }
    if (halt.stopped || ready.length === 0) return;
    throwIfCancelled(run.signal);
    if (ready.length > 1 && lane.hasCapability('MULTIAPPEND') && (await appendGroup(job, lane, ready, completions))) return;
    await appendEach(job, lane, ready, completions);
  } finally {
    // Order matters: completions are recorded once the target answered, before anything else
    // (a flags STORE, the next batch) is sent for them.
    journal.recordCopied(completions);
  }
  // Expunged on the source between listing and fetching: nothing to copy, drop the intent.
  if (!halt.stopped) for (const c of batch) if (!seen.has(c.row.sourceUid)) journal.forget(c.row.sourceUid);
}

/**
 * Stores a whole batch with one MULTIAPPEND. Returns false when the server refused the command
 * (nothing was stored, RFC 3502), so the caller retries message by message to learn which one
 * the server refuses and why.
 */
async function appendGroup(job: StoreJob, lane: TargetWriter, ready: Ready[], completions: AppendedCopy[]): Promise<boolean> {
  const { run, tgt, report } = job;
  const flags = ready.map(({ item, parts }) => flagsOf(job, item, parts));
  let res: { uids: number[] | null; uidValidity: number | null };
  try {
    const sending = lane.appendMany(
      tgt.path,
      ready.map(({ item, parts }, i) => ({ parts, size: bytesLength(parts), flags: flags[i]!.append, internalDate: item.internalDate })),
    );
    // Awaited below; a failure must not surface as an unhandled rejection while the hook runs.
    sending.catch(() => undefined);
    try {
      await run.crash?.('during-multiappend');
    } finally {
      // Whatever the hook does, the batch's bytes are read until the command is out.
      if (run.crash) await sending.catch(() => undefined);
    }
    res = await sending;
  } catch (err) {
    if (!(err instanceof CutoverError) || err.retryable) throw err;
    return false;
  }
  await run.crash?.('after-append');
  for (const f of flags) report.dropped(f.dropped);
  const sameValidity = res.uidValidity === null || res.uidValidity === tgt.uidValidity;
  ready.forEach(({ item }, i) => {
    completed(job, item, sameValidity ? (res.uids?.[i] ?? null) : null, flags[i]!, completions);
    job.meter.add(1, item.row.size);
  });
  report.copied(ready.length);
  emitProgress(job);
  return true;
}

/**
 * Stores each message with its own APPEND (sent all at once where the server allows, see
 * TargetWriter.appendEach): what the server refuses is reported with its reason and skipped,
 * the others are stored. A message not answered (connection lost, throttled) is no refusal:
 * once the answered ones are recorded, its error goes up for the pass to retry.
 */
async function appendEach(job: StoreJob, lane: TargetWriter, ready: Ready[], completions: AppendedCopy[]): Promise<void> {
  const { run, tgt, report, meter } = job;
  const flags = ready.map(({ item, parts }) => flagsOf(job, item, parts));
  const outcomes = await lane.appendEach(
    tgt.path,
    ready.map(({ item, parts }, i) => ({ parts, size: bytesLength(parts), flags: flags[i]!.append, internalDate: item.internalDate })),
  );
  if (outcomes.some((o) => o.stored)) await run.crash?.('after-append');
  let retry: CutoverError | null = null;
  outcomes.forEach((outcome, i) => {
    const { item } = ready[i]!;
    if (outcome.stored) {
      report.dropped(flags[i]!.dropped);
      completed(job, item, outcome.uidValidity === null || outcome.uidValidity === tgt.uidValidity ? outcome.uid : null, flags[i]!, completions);
      report.copied(1);
      meter.add(1, item.row.size);
    } else if (outcome.error.retryable) {
      retry ??= outcome.error;
    } else {
      refused(job, item, outcome.error.detail ?? outcome.error.message);
      meter.add(1, item.row.size, false);
    }
  });
  emitProgress(job);
  if (retry) throw retry;
}

/** The flags of one copy for this target (the source's, plus extra ones, as the target policy splits them). */
function flagsOf({ run, tgt }: StoreJob, item: CopyItem, parts: readonly Buffer[]): CopyFlags {
  const extra = run.settings.extraFlags ? run.settings.extraFlags(headerBytes(parts)) : [];
  return copyFlags(item.row.flags, extra, tgt.permanentFlags, run.settings.appendFlags);
}

/** A stored copy: its completion (with the flags it has so far) and the flags still to STORE. */
function completed(job: StoreJob, item: CopyItem, targetUid: number | null, flags: CopyFlags, completions: AppendedCopy[]): void {
  completions.push({ sourceUid: item.row.sourceUid, targetUid, flags: flags.journalFlags });
  if (targetUid !== null && flags.storeAfter.length > 0) {
    job.report.storeLater.push({ sourceUid: item.row.sourceUid, targetUid, flags: flags.storeAfter, sourceFlags: item.row.flags });
  }
}

function refused(job: StoreJob, item: CopyItem, reason: string): void {
  const { run, journal, report } = job;
  const { row } = item;
  journal.recordRefused(row.sourceUid, reason);
  const ref: MessageRef = { folder: journal.source, uid: row.sourceUid, reason, subject: row.subject ?? '', size: row.size };
  if (row.internalDate !== null) ref.date = new Date(row.internalDate).toISOString();
  report.refused(ref);
  run.refused.set(`${journal.source}\0${row.sourceUid}`, ref);
  run.emit({ type: 'message-failed', message: ref });
}

function emitProgress({ run, meter }: StoreJob): void {
  if (!meter.shouldEmit()) return;
  run.emit({ type: 'folder-progress', progress: meter.snapshot() });
  if (run.overall) run.emit({ type: 'overall', progress: run.overall.snapshot() });
}
