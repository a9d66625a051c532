/**
 * How many target connections ("lanes") a copy appends through, chosen by measured throughput.
 *
 * Why not a fixed number: a lane pays off where the target spends its time waiting (a round trip
 * over the internet, an fsync per APPEND), and costs a login, a connection the server may throttle,
 * and a batch of message bytes in memory. On a fast local link one lane is as fast as four (measured,
 * README "Benchmark"); to Exchange Online over the internet each lane up to three adds speed.
 *
 * So a copy starts with one lane and adds one while the last one paid: each count of lanes is
 * measured over a window of stored bytes (at least `MIN_WINDOW_MS` of storing, across pages and
 * folders, and `MIN_WINDOW_BATCHES` batches), and a lane is kept only when it raised throughput
 * by `GAIN`. Once a lane does not pay
 * (or `max` is reached), the best count measured is kept for the rest of the run.
 */
export const MIN_WINDOW_MS = 2_000;
export const MIN_WINDOW_BATCHES = 16;
/** A lane is kept when throughput grew at least this much with it (15 %, above run-to-run noise). */
export const GAIN = 1.15;

export class LaneTuner {
  private current: number;
  private settled: boolean;
  private best: { lanes: number; rate: number } | null = null;
  private highestJoined = 0;
  /** The window being measured: bytes and batches stored, time spent storing (`since`: running now). */
  private window = { ms: 0, since: null as number | null, bytes: 0, batches: 0 };

  constructor(
    /** The most lanes the target may get (the user's choice, or the target's limit). */
    private max: number,
    private readonly now: () => number = () => performance.now(),
    /** Lanes to start with (tests: a test mailbox is too small to measure). */
    start = 1,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('lanes: max must be a positive integer');
    if (!Number.isInteger(start) || start < 1) throw new RangeError('lanes: start must be a positive integer');
    this.current = Math.min(start, max);
    this.settled = this.current === max;
  }

  /** How many lanes should be appending now. */
  get wanted(): number {
    return this.current;
  }

  /** The lane count is final for this run. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Starts a new measurement window: when a lane joined for the first time, and after a message stored alone (store-batches.ts). */
  startWindow(): void {
    this.window = { ms: 0, since: this.window.since === null ? null : this.now(), bytes: 0, batches: 0 };
  }

  /**
   * Lane `index` is appending. The first time a lane with this index joins, the window starts over:
   * what came before was measured with one lane fewer, and its login is not its throughput. A lane
   * that joins again (the next page, the next folder) changes nothing.
   */
  joined(index: number): void {
    if (index <= this.highestJoined) return;
    this.highestJoined = index;
    this.startWindow();
  }

  /**
   * The server refused lane `lanes` + 1 (its limit on connections at once): never more than `lanes`
   * lanes for the rest of the run, and no more measuring beyond them.
   */
  cap(lanes: number): void {
    this.max = Math.max(1, Math.min(this.max, lanes));
    if (this.current >= this.max) {
      this.current = this.max;
      this.settled = true;
    }
  }

  /** Batches are being stored (a folder's batches began): time counts again. */
  resume(): void {
    if (this.window.since === null) this.window.since = this.now();
  }

  /** No batch is being stored (between pages and folders): that time is nobody's throughput. */
  pause(): void {
    const w = this.window;
    if (w.since !== null) w.ms += this.now() - w.since;
    w.since = null;
  }

  /** A batch of `bytes` was stored. May change `wanted`. */
  stored(bytes: number): void {
    const w = this.window;
    if (this.settled || w.since === null) return;
    w.bytes += bytes;
    w.batches += 1;
    const elapsed = w.ms + this.now() - w.since;
    if (w.batches < MIN_WINDOW_BATCHES || elapsed < MIN_WINDOW_MS) return;
    const rate = w.bytes / elapsed;
    this.startWindow();
    if (this.best === null || rate >= this.best.rate * GAIN) {
      this.best = { lanes: this.current, rate };
      if (this.current < this.max) this.current += 1;
      else this.settled = true;
      return;
    }
    // The last lane did not pay: back to the best count measured, for the rest of the run.
    this.current = this.best.lanes;
    this.settled = true;
  }
}
