/**
 * How many target connections ("lanes") a copy appends through, chosen by measured throughput.
 *
 * Why not a fixed number: a lane pays off where the target spends its time waiting (a round trip
 * over the internet, an fsync per APPEND), and costs a login, a connection the server may limit or
 * throttle, and a batch of message bytes in memory (within the one byte budget, byte-budget.ts).
 *
 * So a copy starts with the most lanes it may use and drops one while it did not pay: each count
 * of lanes is measured over a window of stored bytes (at least `MIN_WINDOW_MS` of storing, across
 * pages and folders, and `MIN_WINDOW_BATCHES` batches); while the copy with one lane fewer is
 * within `GAIN` of the fastest count measured so far, it goes on with one fewer and measures again;
 * when it is slower than that, the lane goes back and that count is kept for the rest of the run.
 * Compared with the fastest, not only the last: small losses never add up to more than `GAIN`.
 *
 * Why from the top rather than adding lanes from one: the measuring costs windows, and a window
 * spent with too few lanes is slow where a window with one too many is not (measured: 10,000
 * messages, Dovecot on loopback: a copy that started with one lane reached four only after 14 s and
 * took 6–8 % longer than one that started with four). A server that refuses a lane at login caps the
 * run at the lanes it has (`cap`).
 */
export const MIN_WINDOW_MS = 2_000;
export const MIN_WINDOW_BATCHES = 16;
/** A lane is kept when the copy would be this much slower without it (15 %, above run-to-run noise). */
export const GAIN = 1.15;

export class LaneTuner {
  private current: number;
  private settled: boolean;
  /** The count measured last: the one to go back to when one lane fewer is slower by GAIN. */
  private last: { lanes: number; rate: number } | null = null;
  /** The fastest rate measured so far (with `last` or more lanes). */
  private peak = 0;
  /** Lanes that have logged in at least once (a first login restarts the window, see `joined`). */
  private readonly everJoined = new Set<number>([0]);
  /** The window being measured: bytes and batches stored, time spent storing (`since`: running now). */
  private window = { ms: 0, since: null as number | null, bytes: 0, batches: 0 };

  constructor(
    /** The most lanes the target may get (the user's choice, or the target's limit). */
    private max: number,
    private readonly now: () => number = () => performance.now(),
    /** Lanes to start with (default: `max`; tests: fewer). */
    start = max,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('lanes: max must be a positive integer');
    if (!Number.isInteger(start) || start < 1) throw new RangeError('lanes: start must be a positive integer');
    this.current = Math.min(start, max);
    this.settled = this.current === 1;
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
   * what came before was measured without it, and its login is not its throughput. A lane that joins
   * again (the next page, the next folder, or back after it was dropped) changes nothing.
   */
  joined(index: number): void {
    if (this.everJoined.has(index)) return;
    this.everJoined.add(index);
    this.startWindow();
  }

  /**
   * The server refused lane `lanes` + 1 (its limit on connections at once): never more than `lanes`
   * lanes for the rest of the run; measuring goes on below that.
   */
  cap(lanes: number): void {
    this.max = Math.max(1, Math.min(this.max, lanes));
    // What was measured above the limit says nothing about the lanes there are.
    if (this.last !== null && this.last.lanes > this.max) {
      this.last = null;
      this.peak = 0;
    }
    if (this.current > this.max) {
      this.current = this.max;
      this.last = null;
      this.peak = 0;
      this.startWindow();
    }
    if (this.max === 1) this.settled = true;
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

  /**
   * A batch of `bytes` was stored by lane `lane`. May change `wanted`. A lane dropped a moment ago
   * finishing its last batch does not count for the fewer lanes now measured.
   */
  stored(bytes: number, lane = 0): void {
    const w = this.window;
    if (this.settled || w.since === null || lane >= this.current) return;
    w.bytes += bytes;
    w.batches += 1;
    const elapsed = w.ms + this.now() - w.since;
    if (w.batches < MIN_WINDOW_BATCHES || elapsed < MIN_WINDOW_MS) return;
    const rate = w.bytes / elapsed;
    this.startWindow();
    if (this.last !== null && this.peak >= rate * GAIN) {
      // The lane dropped had paid: back to it, for the rest of the run.
      this.current = Math.min(this.last.lanes, this.max);
      this.settled = true;
      return;
    }
    this.peak = Math.max(this.peak, rate);
    // One lane is within GAIN of the fastest: one it is.
    if (this.current === 1) {
      this.settled = true;
      return;
    }
    // The first measurement, or one lane fewer is about as fast: one fewer still.
    this.last = { lanes: this.current, rate };
    this.current -= 1;
  }
}
