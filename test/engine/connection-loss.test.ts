import { describe, expect, inject, it } from 'vitest';
import type { SyncEvent } from '../../src/shared/sync-types.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const dovecot = inject('dovecot');

describe('a connection cut in the middle of a transfer', () => {
  it('reconnects with backoff, continues, and ends with a complete copy and no duplicate', async () => {
    const src = addUser(dovecot, 'cut');
    const dst = addUser(dovecot, 'cutd');
    const body = 'q'.repeat(20_000);
    await seed(dovecot, src, [], Array.from({ length: 120 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i, { body }) })));
    const sourceProxy = await TcpProxy.start(dovecot.imapsPort);
    const targetProxy = await TcpProxy.start(dovecot.imapsPort);
    const events: SyncEvent[] = [];
    let cuts = 0;
    try {
      sourceProxy.cutAfterBytes(600_000);
      const summary = await runSync({
        source: account(dovecot, src, sourceProxy.port),
        target: account(dovecot, dst, targetProxy.port),
        state: tempState(),
        connections: 1,
        onEvent: (e) => {
          events.push(e);
          // Second failure: the target side goes away while messages are being stored.
          if (e.type === 'reconnecting' && cuts++ === 0) targetProxy.cutAfterBytes(3_000);
        },
      });
      expect(summary.failed).toEqual([]);
      expect(summary.folderErrors).toEqual([]);
    } finally {
      await sourceProxy.stop();
      await targetProxy.stop();
    }
    expect(events.filter((e) => e.type === 'reconnecting').length).toBeGreaterThanOrEqual(2);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  }, 60_000);
});
