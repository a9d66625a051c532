import { describe, expect, inject, it } from 'vitest';
import type { SyncEvent } from '../../src/shared/sync-types.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

describe('progress and cancelling', () => {
  it('reports typed per-folder progress, stops cleanly on cancel, and a rerun finishes without duplicates', async () => {
    const src = addUser(dovecot, 'can');
    const dst = addUser(dovecot, 'cand');
    const body = 'p'.repeat(40_000);
    await seed(dovecot, src, ['Big'], Array.from({ length: 200 }, (_, i) => ({ folder: 'Big', raw: simpleMessage(i, { body }) })));
    const stateDir = tempStateDir();
    const controller = new AbortController();
    const events: SyncEvent[] = [];
    const first = await runSync({
      source: account(dovecot, src),
      target: account(dovecot, dst),
      stateDir,
      connections: 1,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'folder-progress' && e.progress.messagesDone >= 40) controller.abort();
      },
    });
    expect(first.cancelled).toBe(true);
    const start = events.find((e) => e.type === 'folder-start' && e.progress.folder === 'Big');
    expect(start).toMatchObject({ progress: { messagesTotal: 200, messagesDone: 0 } });
    expect(start?.type === 'folder-start' && start.progress.bytesTotal).toBeGreaterThan(200 * 40_000);
    const progress = events.filter((e): e is Extract<SyncEvent, { type: 'folder-progress' }> => e.type === 'folder-progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.progress.bytesDone).toBeGreaterThan(0);
    const partial = (await snapshot(dovecot, dst)).get('Big')?.length ?? 0;
    expect(partial).toBeLessThan(200);

    const second = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), stateDir });
    expect(second.cancelled).toBe(false);
    expect(second.copied + second.alreadyPresent).toBe(200 - first.copied);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  });
});
