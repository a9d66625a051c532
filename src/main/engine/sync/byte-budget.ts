/**
 * One bound on the message bytes a folder pass holds in memory at once, between the source FETCH
 * and the target APPEND, across every lane: a batch takes its bytes before it is downloaded and
 * gives them back once stored. So lanes × batches never multiply a large message: three 30 MB
 * messages on four lanes wait for each other instead of holding 120 MB.
 *
 * Grants are first come, first served (a batch asked for earlier is never overtaken by a later
 * one, so the lanes, which take batches in order, cannot starve each other), and a request larger
 * than the whole budget is clamped to it: a message bigger than the budget still goes, alone.
 */
export class ByteBudget {
  private free: number;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];
  /** The most bytes ever taken at once (for tests and measurements). */
  peak = 0;

  constructor(readonly total: number) {
    if (!(total > 0)) throw new RangeError('a byte budget must be positive');
    this.free = total;
  }

  /** Waits until `bytes` (clamped to the whole budget) are free and takes them; returns what was taken. */
  async take(bytes: number): Promise<number> {
    const n = Math.max(0, Math.min(bytes, this.total));
    if (this.waiting.length === 0 && n <= this.free) {
      this.grant(n);
      return n;
    }
    await new Promise<void>((resolve) => this.waiting.push({ bytes: n, grant: resolve }));
    return n;
  }

  give(bytes: number): void {
    this.free = Math.min(this.total, this.free + bytes);
    while (this.waiting.length > 0 && this.waiting[0]!.bytes <= this.free) {
      const next = this.waiting.shift()!;
      this.grant(next.bytes);
      next.grant();
    }
  }

  private grant(n: number): void {
    this.free -= n;
    this.peak = Math.max(this.peak, this.total - this.free);
  }
}
