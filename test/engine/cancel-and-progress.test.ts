import { describe, expect, inject, it } from 'vitest';
import type { OverallProgress, SyncEvent } from '../../src/shared/sync-types.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

const overallOf = (events: SyncEvent[]): OverallProgress[] => events.flatMap((e) => (e.type === 'overall' ? [e.progress] : []));

describe('progress and cancelling', () => {
  it('plans the total before copying, only moves forward, stops cleanly on cancel, and the resume counts what was done', async () => {
    const src = addUser(dovecot, 'can');
    const dst = addUser(dovecot, 'cand');
    const body = 'p'.repeat(40_000);
    await seed(dovecot, src, ['Big'], [
      ...Array.from({ length: 200 }, (_, i) => ({ folder: 'Big', raw: simpleMessage(i, { body }) })),
      ...Array.from({ length: 5 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(1000 + i) })),
    ]);
    const state = tempState();
    const controller = new AbortController();
    const events: SyncEvent[] = [];
    const first = await runSync({
      source: account(dovecot, src),
      target: account(dovecot, dst),
      state,
      connections: 1,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'folder-progress' && e.progress.folder === 'Big' && e.progress.messagesDone >= 40) controller.abort();
      },
    });
    expect(first.cancelled).toBe(true);

    // The plan (every selected folder) comes before any message is copied.
    const planAt = events.findIndex((e) => e.type === 'plan');
    const firstProgress = events.findIndex((e) => e.type === 'folder-progress');
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(planAt).toBeLessThan(firstProgress);
    const plan = events[planAt]!.type === 'plan' ? (events[planAt] as Extract<SyncEvent, { type: 'plan' }>).plan : null;
    expect(plan).toMatchObject({ messages: 205, alreadyDone: 0 });
    expect(plan!.bytes).toBeGreaterThan(200 * 40_000);

    const start = events.find((e) => e.type === 'folder-start' && e.progress.folder === 'Big');
    expect(start).toMatchObject({ progress: { messagesTotal: 200, messagesDone: 0 } });
    expect(start?.type === 'folder-start' && start.progress.bytesTotal).toBeGreaterThan(200 * 40_000);

    // Overall: a fixed total, never backwards.
    const overall = overallOf(events);
    expect(overall.length).toBeGreaterThan(1);
    for (let i = 1; i < overall.length; i++) {
      expect(overall[i]!.messagesTotal).toBe(205);
      expect(overall[i]!.messagesDone).toBeGreaterThanOrEqual(overall[i - 1]!.messagesDone);
      expect(overall[i]!.bytesDone).toBeGreaterThanOrEqual(overall[i - 1]!.bytesDone);
    }

    // The paused summary and the last progress of the folder say the same, and so does the target.
    const big = first.folders.find((f) => f.source === 'Big')!;
    const lastBig = events.filter((e): e is Extract<SyncEvent, { type: 'folder-progress' }> => e.type === 'folder-progress' && e.progress.folder === 'Big').at(-1)!;
    expect(lastBig.progress.messagesDone).toBe(big.copied + big.alreadyPresent);
    const partial = (await snapshot(dovecot, dst)).get('Big')?.length ?? 0;
    expect(partial).toBe(big.copied);
    expect(partial).toBeLessThan(200);

    const resumed: SyncEvent[] = [];
    const second = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state, onEvent: (e) => resumed.push(e) });
    expect(second.cancelled).toBe(false);
    // The resumed run counts what the first one copied as already there: the two always add up.
    expect(second.alreadyPresent).toBe(first.copied);
    expect(second.copied + second.alreadyPresent).toBe(205);
    expect(second.plan).toMatchObject({ messages: 205, alreadyDone: first.copied });
    const again = overallOf(resumed);
    expect(again[0]!.messagesDone).toBe(first.copied);
    expect(again.at(-1)).toMatchObject({ messagesDone: 205, messagesTotal: 205, etaSeconds: 0 });
    expect(again.at(-1)!.elapsedMs).toBeGreaterThan(0);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  });
});
