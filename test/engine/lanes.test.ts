import { describe, expect, inject, it } from 'vitest';
import type { SyncEvent } from '../../src/shared/sync-types.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const dovecot = inject('dovecot');

/** 300 messages of ~30 KB: five 2 MB batches, enough for several lanes at once. */
async function seededPair(label: string): Promise<{ src: string; dst: string }> {
  const src = addUser(dovecot, `${label}-src`);
  const dst = addUser(dovecot, `${label}-dst`);
  const body = 'lane '.repeat(6_000);
  await seed(dovecot, src, [], Array.from({ length: 300 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i, { body }) })));
  return { src, dst };
}

describe('lanes: target connections appending at once', () => {
  it('a copy starts with as many target connections as it may use, and never more', async () => {
    const { src, dst } = await seededPair('lane1');
    const targetProxy = await TcpProxy.start(dovecot.imapsPort);
    try {
      const summary = await runSync({ source: account(dovecot, src), target: account(dovecot, dst, targetProxy.port), state: tempState(), connections: 3 });
      expect(summary.copied).toBe(300);
      // Too little mail to measure whether a lane pays: the pair's target connection and two lanes did it all.
      expect(targetProxy.connectionsSeen).toBe(3);
    } finally {
      await targetProxy.stop();
    }
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  }, 60_000);

  it('a lane the server refuses (its limit on connections at once) leaves the copy to the lanes it has', async () => {
    const { src, dst } = await seededPair('lanecap');
    const targetProxy = await TcpProxy.start(dovecot.imapsPort);
    targetProxy.acceptAtMost = 2;
    try {
      const summary = await runSync({ source: account(dovecot, src), target: account(dovecot, dst, targetProxy.port), state: tempState(), connections: 4, startLanes: 4 });
      expect(summary.copied).toBe(300);
      expect(summary.failed).toEqual([]);
      expect(summary.folderErrors).toEqual([]);
    } finally {
      await targetProxy.stop();
    }
    // Lanes beyond the limit were refused (with the connection check that explains a refusal), and
    // the copy went on through the pair's connection and the one lane the server allowed.
    expect(targetProxy.connectionsSeen).toBe(2);
    expect(targetProxy.refused).toBeGreaterThanOrEqual(2);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  }, 60_000);

  it('three lanes cut while they append: reconnects, and ends complete with no duplicate', async () => {
    const { src, dst } = await seededPair('lane3');
    const targetProxy = await TcpProxy.start(dovecot.imapsPort);
    const events: SyncEvent[] = [];
    let openAtCut = 0;
    try {
      const summary = await runSync({
        source: account(dovecot, src),
        target: account(dovecot, dst, targetProxy.port),
        state: tempState(),
        connections: 3,
        startLanes: 3,
        onEvent: (e) => events.push(e),
        // Cut once a batch is stored and all three lanes are connected (one of them stored it).
        crash: (point) => {
          if (point === 'after-append' && openAtCut === 0 && targetProxy.connectionsSeen >= 3) {
            openAtCut = targetProxy.connectionsSeen;
            targetProxy.cutAfterBytes(0);
          }
        },
      });
      expect(summary.failed).toEqual([]);
      expect(summary.folderErrors).toEqual([]);
    } finally {
      await targetProxy.stop();
    }
    expect(openAtCut).toBe(3);
    expect(events.some((e) => e.type === 'reconnecting')).toBe(true);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  }, 60_000);
});
