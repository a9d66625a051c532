import { describe, expect, inject, it } from 'vitest';
import type { WatchEvent } from '../../src/shared/watch-types.js';
import { compareMailboxes } from '../../src/main/engine/compare/compare-mailboxes.js';
import { runWatch } from '../../src/main/engine/watch/run-watch.js';
import { StateStore } from '../../src/main/engine/state/state-store.js';
import { recordSwitch, watchStatusOf } from '../../src/main/engine/watch/watch-status.js';
import { account, tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { seed, simpleMessage } from '../harness/mailbox.js';
import { until } from '../harness/until.js';

const dovecot = inject('dovecot');
const H = 3600_000;

describe('the watch decides "safe to close" with the clock it is given', () => {
  it('inside the sweep it waits; 100 h after the switch it compares by itself, finds nothing missing and says so once', async () => {
    const src = addUser(dovecot, 'safe');
    const dst = addUser(dovecot, 'safed');
    await seed(dovecot, src, ['Work'], [1, 2, 3].map((n) => ({ folder: n === 3 ? 'Work' : 'INBOX', raw: simpleMessage(n) })));
    const state = StateStore.open(tempStateDir());
    const source = account(dovecot, src);
    const target = account(dovecot, dst);
    const switchAt = Date.parse('2026-03-02T10:00:00Z');
    recordSwitch(state, source.endpoint, target.endpoint, switchAt);
    let clock = switchAt + 10 * H;
    let compared = 0;

    const watchFor = async (stopWhen: (events: WatchEvent[]) => boolean): Promise<WatchEvent[]> => {
      const events: WatchEvent[] = [];
      const stop = new AbortController();
      const run = runWatch({
        source,
        target,
        state,
        everyMs: 3600_000,
        now: () => clock,
        compare: async () => {
          compared++;
          return { missing: (await compareMailboxes({ source, target, state })).missingTotal };
        },
        signal: stop.signal,
        onEvent: (e) => events.push(e),
      });
      await until('the pass and its verdict', () => stopWhen(events));
      stop.abort();
      expect(await run).toEqual({ reason: 'requested', error: null });
      return events;
    };

    // 10 h after the switch: the first pass copies (after the switch: late arrivals), no comparison yet.
    const early = await watchFor((e) => e.some((x) => x.type === 'checked'));
    expect(early.filter((e) => e.type === 'late-arrival')).toHaveLength(3);
    expect(compared).toBe(0);
    expect(watchStatusOf(state, source.endpoint, target.endpoint, null, clock).safeToClose).toEqual({ ok: false, waitingFor: ['sweep-running', 'late-arrival-within-24h', 'compare-not-complete'] });

    // 100 h after the switch (sweep over, the late arrivals 90 h old): only a comparison is missing; the watch makes it.
    clock = switchAt + 100 * H;
    const late = await watchFor((e) => e.some((x) => x.type === 'safe-to-close'));
    expect(compared).toBe(1);
    expect(late.filter((e) => e.type === 'safe-to-close')).toEqual([{ type: 'safe-to-close', at: new Date(clock).toISOString() }]);
    const status = watchStatusOf(state, source.endpoint, target.endpoint, null, clock);
    state.close();
    expect(status).toMatchObject({ safeToClose: { ok: true, waitingFor: [] }, lastCompare: { at: new Date(clock).toISOString(), missing: 0 }, lateArrivals: { count: 3 }, copiedTotal: 3 });
  }, 120_000);
});
