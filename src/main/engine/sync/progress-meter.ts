import type { FolderProgress } from '../../../shared/sync-types.js';

/**
 * Messages/bytes done for one folder, with a rate over the last few seconds (so a slow start or a
 * large message does not skew the ETA for long) and throttled emission (at most every 250 ms).
 */
export class ProgressMeter {
  private messagesDone = 0;
  private bytesDone = 0;
  private readonly samples: { at: number; bytes: number }[] = [];
  private lastEmit = 0;

  constructor(
    private readonly folder: string,
    private readonly target: string,
    private readonly messagesTotal: number,
    private readonly bytesTotal: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.samples.push({ at: this.now(), bytes: 0 });
  }

  add(messages: number, bytes: number): void {
    this.messagesDone += messages;
    this.bytesDone += bytes;
    const at = this.now();
    this.samples.push({ at, bytes: this.bytesDone });
    while (this.samples.length > 2 && at - this.samples[0]!.at > 5_000) this.samples.shift();
  }

  /** True when enough time passed since the last report (always true when finished). */
  shouldEmit(): boolean {
    const at = this.now();
    if (this.messagesDone >= this.messagesTotal || at - this.lastEmit >= 250) {
      this.lastEmit = at;
      return true;
    }
    return false;
  }

  snapshot(): FolderProgress {
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const seconds = (last.at - first.at) / 1000;
    const rate = seconds > 0 ? (last.bytes - first.bytes) / seconds : 0;
    const left = Math.max(0, this.bytesTotal - this.bytesDone);
    return {
      folder: this.folder,
      target: this.target,
      messagesDone: this.messagesDone,
      messagesTotal: this.messagesTotal,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond: Math.round(rate),
      etaSeconds: left === 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
    };
  }
}
