import { describe, expect, inject, it } from 'vitest';
import type { SyncEvent } from '../../src/shared/sync-types.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const dovecot = inject('dovecot');

describe('a target that refuses messages and then drops the connection (Exchange says BYE after a burst)', () => {
  it('reports each refused message once with the reason, reconnects, copies the rest, and retries refusals on the next run', async () => {
    const src = addUser(dovecot, 'burst');
    const dst = addUser(dovecot, 'burstd', { small: true });
    const big = 'b'.repeat(40_000);
    await seed(
      dovecot,
      src,
      [],
      Array.from({ length: 12 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i, i % 3 === 0 ? { body: big, subject: `Big ${i}` } : {}) })),
    );
    const proxy = await TcpProxy.start(dovecot.imapsPort);
    const events: SyncEvent[] = [];
    let cut = false;
    const state = tempState();
    try {
      const summary = await runSync({
        source: account(dovecot, src),
        target: account(dovecot, dst, proxy.port),
        state,
        connections: 1,
        onEvent: (e) => {
          events.push(e);
          if (!cut && e.type === 'message-failed') {
            cut = true;
            proxy.cutAll();
          }
        },
      });
      expect(events.some((e) => e.type === 'reconnecting')).toBe(true);
      expect(summary.failed.map((f) => f.uid).sort((a, b) => a - b)).toEqual([1, 4, 7, 10]);
      for (const f of summary.failed) expect(f.reason).toMatch(/too large|size/i);
      expect(summary.folderErrors).toEqual([]);
      expect((await snapshot(dovecot, dst)).get('INBOX')).toHaveLength(8);
    } finally {
      await proxy.stop();
    }
    const rerun = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state });
    expect(rerun.failed).toHaveLength(4);
    expect(rerun.copied).toBe(0);
  });
});
