import type { FolderProgress, OverallProgress, SyncPlan } from '../../../shared/sync-types.js';

const WINDOW_MS = 5_000;
const EMIT_EVERY_MS = 250;

/** Bytes per second over the last few seconds, so a slow start or one large message does not skew the ETA for long. */
class RecentRate {
  private readonly samples: { at: number; bytes: number }[] = [];
  private total = 0;

  constructor(private readonly now: () => number) {
    this.samples.push({ at: now(), bytes: 0 });
  }

  add(bytes: number): void {
    this.total += bytes;
    const at = this.now();
    this.samples.push({ at, bytes: this.total });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
  }

  get bytesPerSecond(): number {
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? (last.bytes - first.bytes) / seconds : 0;
  }
}

function eta(left: number, rate: number): number | null {
  if (left <= 0) return 0;
  return rate > 0 ? Math.ceil(left / rate) : null;
}

/**
 * All selected folders together, from the plan made before the first APPEND. Each folder counts at
 * most its planned messages, and a folder's count never goes down, so the overall bar only moves
 * forward (mail arriving at the source during the copy is copied, but does not move the total).
 */
export class OverallMeter {
  private readonly folders = new Map<string, { messages: number; bytes: number; doneMessages: number; doneBytes: number }>();
  private readonly rate: RecentRate;
  private readonly started: number;
  private failed = 0;
  private skipped = 0;

  constructor(
    plan: SyncPlan,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.started = now();
    this.rate = new RecentRate(now);
    for (const f of plan.folders) this.folders.set(f.source, { messages: f.messages, bytes: f.bytes, doneMessages: f.alreadyDone, doneBytes: f.alreadyDoneBytes });
  }

  /** A folder's messages/bytes on the target now (absolute, not an increment). */
  folderDone(folder: string, messages: number, bytes: number): void {
    const f = this.folders.get(folder);
    if (!f) return;
    f.doneMessages = Math.max(f.doneMessages, Math.min(messages, f.messages));
    f.doneBytes = Math.max(f.doneBytes, Math.min(bytes, f.bytes));
  }

  /** Bytes sent in this run: they make the speed. */
  copied(bytes: number): void {
    this.rate.add(bytes);
  }

  folderFinished(failed: number, skipped: number): void {
    this.failed += failed;
    this.skipped += skipped;
  }

  snapshot(finished = false): OverallProgress {
    let messagesDone = 0;
    let messagesTotal = 0;
    let bytesDone = 0;
    let bytesTotal = 0;
    for (const f of this.folders.values()) {
      messagesDone += f.doneMessages;
      messagesTotal += f.messages;
      bytesDone += f.doneBytes;
      bytesTotal += f.bytes;
    }
    const rate = this.rate.bytesPerSecond;
    return {
      messagesDone,
      messagesTotal,
      bytesDone,
      bytesTotal,
      failed: this.failed,
      skipped: this.skipped,
      elapsedMs: this.now() - this.started,
      bytesPerSecond: Math.round(rate),
      etaSeconds: finished ? 0 : eta(bytesTotal - bytesDone, rate),
    };
  }
}

/**
 * One folder: its messages on the target out of all its messages, with a recent speed and
 * throttled emission (at most every 250 ms). It feeds the overall meter as it goes.
 */
export class ProgressMeter {
  private messagesDone: number;
  private bytesDone: number;
  private readonly rate: RecentRate;
  private lastEmit = 0;

  constructor(
    private readonly folder: string,
    private readonly target: string,
    private readonly messagesTotal: number,
    private readonly bytesTotal: number,
    private readonly alreadyDone: { messages: number; bytes: number },
    private readonly overall: OverallMeter | null = null,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.messagesDone = alreadyDone.messages;
    this.bytesDone = alreadyDone.bytes;
    this.rate = new RecentRate(now);
    overall?.folderDone(folder, this.messagesDone, this.bytesDone);
  }

  /** Messages stored on the target (copied, or refused: `stored` false). */
  add(messages: number, bytes: number, stored = true): void {
    if (stored) {
      this.messagesDone += messages;
      this.bytesDone += bytes;
      this.overall?.folderDone(this.folder, this.messagesDone, this.bytesDone);
    }
    this.rate.add(bytes);
    this.overall?.copied(bytes);
  }

  /** Messages found on the target already (not sent now, so they do not count for the speed). */
  found(messages: number, bytes: number): void {
    if (messages === 0) return;
    this.messagesDone += messages;
    this.bytesDone += bytes;
    this.overall?.folderDone(this.folder, this.messagesDone, this.bytesDone);
  }

  /** True when enough time passed since the last report (always true when finished). */
  shouldEmit(): boolean {
    const at = this.now();
    if (this.messagesDone >= this.messagesTotal || at - this.lastEmit >= EMIT_EVERY_MS) {
      this.lastEmit = at;
      return true;
    }
    return false;
  }

  snapshot(): FolderProgress {
    const rate = this.rate.bytesPerSecond;
    return {
      folder: this.folder,
      target: this.target,
      messagesDone: this.messagesDone,
      messagesTotal: this.messagesTotal,
      alreadyDone: this.alreadyDone.messages,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond: Math.round(rate),
      etaSeconds: eta(this.bytesTotal - this.bytesDone, rate),
    };
  }
}
