import { describe, expect, it } from 'vitest';
import { GAIN, LaneTuner, MIN_WINDOW_BATCHES, MIN_WINDOW_MS } from '../../src/main/engine/sync/lane-tuner.js';

/** A tuner on a clock the test moves, storing `batches` batches of 1 MB over `ms`. */
function harness(max: number) {
  let t = 0;
  const tuner = new LaneTuner(max, () => t);
  const storeFor = (ms: number, batches = MIN_WINDOW_BATCHES): void => {
    // The last batch lands exactly at the end (no rounding drift across the window's edge).
    const from = t;
    for (let i = 1; i <= batches; i++) {
      t = from + (ms * i) / batches;
      tuner.stored(1_000_000);
    }
  };
  const idle = (ms: number): void => {
    t += ms;
  };
  return { tuner, storeFor, idle };
}

describe('lane tuner: lanes by measured throughput', () => {
  it('starts with the most lanes and drops one while one fewer is about as fast, down to one', () => {
    const { tuner, storeFor } = harness(3);
    tuner.resume();
    expect([tuner.wanted, tuner.isSettled]).toEqual([3, false]);
    storeFor(MIN_WINDOW_MS); // 3 lanes measured
    expect(tuner.wanted).toBe(2);
    storeFor(MIN_WINDOW_MS); // 2 lanes: as fast
    expect(tuner.wanted).toBe(1);
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES + 1); // 1 lane: even a little faster
    expect([tuner.wanted, tuner.isSettled]).toEqual([1, true]);
  });

  it('takes the lane back, for the rest of the run, when the copy is slower by GAIN without it', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES * 2); // 4 lanes
    expect(tuner.wanted).toBe(3);
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES * 2); // 3 lanes: as fast, so the 4th did not pay
    expect(tuner.wanted).toBe(2);
    // 2 lanes: slower, by a little more than GAIN: the 3rd lane paid.
    const batches = Math.floor((MIN_WINDOW_BATCHES * 2) / GAIN) - 1;
    expect((MIN_WINDOW_BATCHES * 2) / batches).toBeGreaterThan(GAIN);
    storeFor(MIN_WINDOW_MS, batches);
    expect([tuner.wanted, tuner.isSettled]).toEqual([3, true]);
    storeFor(MIN_WINDOW_MS / 10, 1); // settled: nothing moves it again
    expect(tuner.wanted).toBe(3);
  });

  it('keeps the lane dropped when the copy is slower without it, but by less than GAIN', () => {
    const { tuner, storeFor } = harness(2);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, 20);
    expect(tuner.wanted).toBe(1);
    const batches = Math.ceil(20 / GAIN) + 1; // slower by less than GAIN
    expect(20 / batches).toBeLessThan(GAIN);
    storeFor(MIN_WINDOW_MS, batches);
    expect([tuner.wanted, tuner.isSettled]).toEqual([1, true]);
  });

  it('judges nothing before a window is long enough in time and in batches', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    storeFor(10 * MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 1);
    expect(tuner.wanted).toBe(4);
    const fast = harness(4);
    fast.tuner.resume();
    fast.storeFor(MIN_WINDOW_MS / 2, 100);
    expect(fast.tuner.wanted).toBe(4);
  });

  it('counts only time spent storing, not the pauses between pages and folders', () => {
    const { tuner, storeFor, idle } = harness(2);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES / 2);
    tuner.pause();
    idle(60_000);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES / 2);
    expect(tuner.wanted).toBe(1); // 2 lanes judged over 2 × MIN_WINDOW_MS, not a minute
    storeFor(4 * MIN_WINDOW_MS, MIN_WINDOW_BATCHES); // 1 lane: half as fast (had the minute counted, 2 lanes would have looked slower)
    expect([tuner.wanted, tuner.isSettled]).toEqual([2, true]);
  });

  it('a lane joining for the first time restarts the window (its login is not its throughput); joining again does not', () => {
    const { tuner, storeFor } = harness(3);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 1);
    tuner.joined(0);
    storeFor(MIN_WINDOW_MS / 100, 1); // the window went on: judged now
    expect(tuner.wanted).toBe(2);
    const late = harness(3);
    late.tuner.resume();
    late.storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 1);
    late.tuner.joined(2); // lane 2's first login: a new window
    late.storeFor(MIN_WINDOW_MS / 100, 1);
    expect(late.tuner.wanted).toBe(3);
    late.storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 2);
    late.tuner.joined(2); // the same lane on the next page
    late.storeFor(MIN_WINDOW_MS / 100, 1);
    expect(late.tuner.wanted).toBe(2);
  });

  it('a lane the server refused caps the run at the lanes it has, and measuring goes on below', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    tuner.cap(2); // lane 2 (the third) was refused
    expect([tuner.wanted, tuner.isSettled]).toEqual([2, false]);
    storeFor(MIN_WINDOW_MS);
    expect(tuner.wanted).toBe(1);
    storeFor(2 * MIN_WINDOW_MS); // 1 lane: half as fast
    expect([tuner.wanted, tuner.isSettled]).toEqual([2, true]);
    const one = new LaneTuner(4, () => 0);
    one.cap(1);
    expect([one.wanted, one.isSettled]).toEqual([1, true]);
    const below = new LaneTuner(4, () => 0, 2);
    below.cap(3); // above what it uses now: nothing changes
    expect([below.wanted, below.isSettled]).toEqual([2, false]);
  });

  it('a limit of one lane is settled from the start; a start above the limit is the limit; bad numbers are refused', () => {
    expect(new LaneTuner(1).isSettled).toBe(true);
    expect(new LaneTuner(3).wanted).toBe(3);
    const pinned = new LaneTuner(3, () => 0, 5);
    expect([pinned.wanted, pinned.isSettled]).toEqual([3, false]);
    expect([new LaneTuner(4, () => 0, 1).wanted, new LaneTuner(4, () => 0, 1).isSettled]).toEqual([1, true]);
    expect(() => new LaneTuner(0)).toThrow(RangeError);
    expect(() => new LaneTuner(2.5)).toThrow(RangeError);
    expect(() => new LaneTuner(2, () => 0, 0)).toThrow(RangeError);
  });

  it('compares with the fastest count measured, so small losses never add up to more than GAIN', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, 100); // 4 lanes: 100 batches a window
    expect(tuner.wanted).toBe(3);
    storeFor(MIN_WINDOW_MS, 92); // 3 lanes: 8 % slower than 4, within GAIN
    expect(tuner.wanted).toBe(2);
    // 2 lanes: 8 % slower than 3 again, but 15 % slower than 4: the third lane goes back.
    storeFor(MIN_WINDOW_MS, 85);
    expect(100 / 85).toBeGreaterThan(GAIN);
    expect([tuner.wanted, tuner.isSettled]).toEqual([3, true]);
  });

  it('the last batch of a lane just dropped does not count for the fewer lanes', () => {
    const { tuner, storeFor } = harness(2);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, 20);
    expect(tuner.wanted).toBe(1);
    // Lane 1 finishes the batch it had: not 1 lane's throughput.
    for (let i = 0; i < 40; i++) tuner.stored(1_000_000, 1);
    storeFor(2 * MIN_WINDOW_MS, 20); // 1 lane alone: half as fast
    expect([tuner.wanted, tuner.isSettled]).toEqual([2, true]);
  });

  it('lanes joining for the first time in any order each restart the window', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    tuner.joined(3);
    storeFor(MIN_WINDOW_MS, MIN_WINDOW_BATCHES - 1);
    tuner.joined(1); // logged in after lane 3: the window so far had it not yet
    storeFor(MIN_WINDOW_MS / 100, 1);
    expect(tuner.wanted).toBe(4);
  });

  it('a cap below what was measured forgets that measurement; a cap never settles above one lane unmeasured', () => {
    const { tuner, storeFor } = harness(4);
    tuner.resume();
    storeFor(MIN_WINDOW_MS, 40); // 4 lanes measured: 3 next
    expect(tuner.wanted).toBe(3);
    tuner.cap(2); // lane 2 refused at a later login
    expect([tuner.wanted, tuner.isSettled]).toEqual([2, false]);
    storeFor(MIN_WINDOW_MS, 20); // 2 lanes: the first measurement under the cap (slower than 4 was, which no longer counts)
    expect(tuner.wanted).toBe(1);
    storeFor(4 * MIN_WINDOW_MS, MIN_WINDOW_BATCHES); // 1 lane: much slower: back to 2, never to 3 or 4
    expect([tuner.wanted, tuner.isSettled]).toEqual([2, true]);
    const measuringOne = harness(3);
    measuringOne.tuner.resume();
    measuringOne.storeFor(MIN_WINDOW_MS, 20);
    measuringOne.storeFor(MIN_WINDOW_MS, 20);
    expect(measuringOne.tuner.wanted).toBe(1);
    measuringOne.tuner.cap(2); // a late refusal while 1 lane is measured: 1 is not settled unmeasured
    expect(measuringOne.tuner.isSettled).toBe(false);
  });
});
