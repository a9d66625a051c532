import { describe, expect, it } from 'vitest';
import { compareDue, safeToClose, sweepUntil, type SweepFacts } from '../../src/main/engine/watch/sweep.js';

const H = 3600_000;
const SWITCH = Date.parse('2026-03-02T10:00:00Z');

/** The facts at `hoursAfterSwitch`, as an injected clock sees them. */
function at(hoursAfterSwitch: number, patch: Partial<SweepFacts> = {}): SweepFacts {
  return { now: SWITCH + hoursAfterSwitch * H, switchSeenAt: SWITCH, oldMxTtlSeconds: 3600, lastLateAt: null, compare: null, ...patch };
}

describe('late-arrival sweep and "safe to close the old mailbox"', () => {
  it('the sweep lasts max(2 × the old MX TTL, 72 h) after the switch', () => {
    expect(sweepUntil(SWITCH, 3600)).toBe(SWITCH + 72 * H);
    expect(sweepUntil(SWITCH, null)).toBe(SWITCH + 72 * H);
    expect(sweepUntil(SWITCH, 36 * 3600)).toBe(SWITCH + 72 * H);
    expect(sweepUntil(SWITCH, 48 * 3600)).toBe(SWITCH + 96 * H);
  });

  it('waits for the switch, then the sweep, then a quiet day, then a complete comparison', () => {
    expect(safeToClose(at(0, { switchSeenAt: null }))).toEqual({ ok: false, waitingFor: ['switch-not-seen', 'compare-not-complete'] });
    // A late arrival 70 h after the switch keeps it back until 94 h, even though the sweep ends at 72 h.
    const late = SWITCH + 70 * H;
    expect(safeToClose(at(71, { lastLateAt: late })).waitingFor).toEqual(['sweep-running', 'late-arrival-within-24h', 'compare-not-complete']);
    expect(safeToClose(at(80, { lastLateAt: late })).waitingFor).toEqual(['late-arrival-within-24h', 'compare-not-complete']);
    expect(safeToClose(at(93.99, { lastLateAt: late, compare: { at: SWITCH + 93 * H, missing: 0 } })).waitingFor).toEqual(['late-arrival-within-24h']);
    expect(safeToClose(at(94, { lastLateAt: late, compare: { at: SWITCH + 93 * H, missing: 0 } }))).toEqual({ ok: true, waitingFor: [] });
  });

  it('a comparison counts only if nothing was missing and nothing arrived after it (and it was made after the switch)', () => {
    expect(safeToClose(at(100, { compare: { at: SWITCH + 99 * H, missing: 2 } })).waitingFor).toEqual(['compare-not-complete']);
    expect(safeToClose(at(100, { compare: { at: SWITCH - H, missing: 0 } })).waitingFor).toEqual(['compare-not-complete']);
    expect(safeToClose(at(100, { lastLateAt: SWITCH + 60 * H, compare: { at: SWITCH + 50 * H, missing: 0 } })).waitingFor).toEqual(['compare-not-complete']);
    expect(safeToClose(at(100, { lastLateAt: SWITCH + 60 * H, compare: { at: SWITCH + 61 * H, missing: 0 } })).ok).toBe(true);
  });

  it('the watch compares only when that alone is missing, at most once an hour', () => {
    expect(compareDue(at(10))).toBe(false);
    expect(compareDue(at(72))).toBe(true);
    expect(compareDue(at(72.5, { compare: { at: SWITCH + 72 * H, missing: 1 } }))).toBe(false);
    expect(compareDue(at(73, { compare: { at: SWITCH + 72 * H, missing: 1 } }))).toBe(true);
    expect(compareDue(at(73, { compare: { at: SWITCH + 72 * H, missing: 0 } }))).toBe(false);
  });
});
