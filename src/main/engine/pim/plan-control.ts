import { setImmediate as nextTurn } from 'node:timers/promises';
import { CutoverError } from '../../../shared/errors.js';

/**
 * A problem with the input, worded for the person (it becomes an item's or a file's report as it
 * is). Anything else thrown while planning is a bug in Cutover or a library, and is reported
 * without its text.
 */
export class InputProblem extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'InputProblem';
  }
}

/** The words for an error caught while reading one file or item. */
export function problemText(err: unknown, line: number | null): string {
  const at = line !== null ? ` (near line ${line})` : '';
  if (err instanceof InputProblem) return err.line !== null || line === null ? err.message : `${err.message}${at}`;
  if (err instanceof RangeError && /call stack/i.test(err.message)) return `it is nested too deeply to be read${at}`;
  return `it could not be read because of an internal error in Cutover${at}`;
}

const YIELD_EVERY_MS = 25;

/**
 * Keeps a planner responsive: it gives the event loop a turn every few milliseconds (so a
 * Ctrl-C, a SIGTERM or another request in the web host is handled at once) and stops with a
 * `cancelled` error as soon as its signal is aborted.
 */
export class PlanControl {
  private last = performance.now();

  constructor(private readonly signal?: AbortSignal) {}

  async checkpoint(): Promise<void> {
    this.throwIfAborted();
    if (performance.now() - this.last < YIELD_EVERY_MS) return;
    await nextTurn();
    this.last = performance.now();
    this.throwIfAborted();
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'Reading the files was cancelled.', retryable: false });
  }
}

/**
 * A bound on work that depends on the input (recurrence and time-zone expansion): it counts
 * steps and watches the clock, and stops the work with an InputProblem naming what was too much.
 * The count decides in normal runs; the clock is the backstop on a slow, shared machine. A budget
 * may have a parent (one file's total), so many small items cannot add up to hours either.
 */
export class WorkBudget {
  private steps = 0;
  private readonly deadline: number;

  constructor(
    private readonly what: string,
    private readonly maxSteps: number,
    maxMs: number,
    private readonly parent: WorkBudget | null = null,
  ) {
    this.deadline = performance.now() + maxMs;
  }

  step(count = 1): void {
    this.steps += count;
    this.parent?.step(count);
    if (this.steps > this.maxSteps || ((this.steps & 0xff) === 0 && performance.now() > this.deadline)) {
      throw new InputProblem(`${this.what} needs more work than Cutover allows`);
    }
  }
}
