import { describe, expect, it } from 'vitest';
import { GAIN, LaneTuner, MIN_WINDOW_BATCHES, MIN_WINDOW_MS } from '../../src/main/engine/sync/lane-tuner.js';

/** A tuner on a clock the test moves, storing `batches` batches of 1 MB over `ms`. */
function harness(max: number) {
  let t = 0;
  const tuner = new LaneTuner(max, () => t);
  const storeFor = (ms: number, batches = MIN_WINDOW_BATCHES): void => {
    for (let i = 0; i < batches; i++) {
      t += ms / batches;
      tuner.stored(1_000_000);
    }
  };
  const idle = (ms: number): void => {
    t += ms;
  };
  return { tuner, storeFor, idle };
}

describe('lane tuner: lanes by measured throughput', () => {
  it('starts with one lane and adds lanes while each one pays, up to the limit', () => {
    const { tuner, storeFor } = harness(3);
    tuner.resume();
    expect(tuner.wanted).toBe(1);
    storeFor(2 * MIN_WINDOW_MS); // 1 lane: 4 MB/s
    expect(tuner.wanted).toBe(2);
    tuner.startWindow(); // the new lane joined
    storeFor(MIN_WINDOW_MS); // 2 lanes: twice as fast
    expect(tuner.wanted).toBe(3);
    tuner.startWindow();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES * 2); // 3 lanes pay too, and 3 is the limit
    expect(tuner.wanted).toBe(3);
    expect(tuner.isSettled).toBe(true);
  });

  it('goes back to the best count when a lane does not raise throughput by GAIN', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    storeFor(2 * MIN_WINDOW_MS);
    tuner.startWindow();
    storeFor(MIN_WINDOW_MS); // 2 lanes pay
    expect(tuner.wanted).toBe(3);
    tuner.startWindow();
    storeFor(MIN_WINDOW_MS, Math.floor(MIN_WINDOW_BATCHES * (GAIN - 0.05)) + 1); // 3 lanes: faster, but by less than GAIN
    expect((Math.floor(MIN_WINDOW_BATCHES * (GAIN - 0.05)) + 1) / MIN_WINDOW_BATCHES).toBeLessThan(GAIN);
    expect(tuner.wanted).toBe(2);
    expect(tuner.isSettled).toBe(true);
    storeFor(MIN_WINDOW_MS / 10); // settled: nothing moves it again
    expect(tuner.wanted).toBe(2);
  });

  it('judges nothing before a window is long enough in time and in batches', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    storeFor(10 * MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 1);
    expect(tuner.wanted).toBe(1);
    const fast = harness(4);
    fast.tuner.resume();
    fast.storeFor(MIN_WINDOW_MS / 2, 100);
    expect(fast.tuner.wanted).toBe(1);
  });

  it('counts only time spent storing, not the pauses between pages and folders', () => {
    const { tuner, storeFor, idle } = harness(2);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES / 2);
    tuner.pause();
    idle(60_000);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES / 2);
    expect(tuner.wanted).toBe(2); // 1 lane judged over 2 × MIN_WINDOW_MS, not a minute
    tuner.startWindow();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES); // twice as fast: kept, and 2 is the limit
    expect(tuner.wanted).toBe(2);
    expect(tuner.isSettled).toBe(true);
  });

  it('a lane joining again (the next page or folder) does not restart the window; a new lane does', () => {
    const { tuner, storeFor } = harness(3);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 1);
    tuner.joined(0);
    storeFor(MIN_WINDOW_MS / 100, 1); // the window went on: judged now
    expect(tuner.wanted).toBe(2);
    tuner.joined(1); // lane 1's first login: a new window
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 1);
    tuner.joined(1); // the same lane on the next page
    storeFor(MIN_WINDOW_MS / 100, 1);
    expect(tuner.wanted).not.toBe(2);
  });

  it('a lane the server refused caps the run at the lanes it has', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    storeFor(2 * MIN_WINDOW_MS);
    expect(tuner.wanted).toBe(2);
    tuner.cap(1); // lane 1 (the second) was refused
    expect([tuner.wanted, tuner.isSettled]).toEqual([1, true]);
    const pinned = new LaneTuner(4, () => 0, 4);
    pinned.cap(2);
    expect(pinned.wanted).toBe(2);
    const early = new LaneTuner(4, () => 0, 1);
    early.cap(3); // above what it uses now: it may still grow, to 3 at most
    expect([early.wanted, early.isSettled]).toEqual([1, false]);
  });

  it('a limit of one lane is settled from the start; a start at the limit too; bad numbers are refused', () => {
    expect(new LaneTuner(1).isSettled).toBe(true);
    const pinned = new LaneTuner(3, () => 0, 5);
    expect([pinned.wanted, pinned.isSettled]).toEqual([3, true]);
    const two = new LaneTuner(4, () => 0, 2);
    expect([two.wanted, two.isSettled]).toEqual([2, false]);
    expect(() => new LaneTuner(0)).toThrow(RangeError);
    expect(() => new LaneTuner(2.5)).toThrow(RangeError);
    expect(() => new LaneTuner(2, () => 0, 0)).toThrow(RangeError);
  });
});
