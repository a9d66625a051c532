import { describe, expect, inject, it } from 'vitest';
import type { ApiEvent, MailAccountInput } from '../../src/shared/app-api.js';
import type { WatchEvent } from '../../src/shared/watch-types.js';
import { tokenCacheFile } from '../../src/main/engine/auth/m365-settings.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { CutoverService } from '../../src/main/engine/service/cutover-service.js';
import { dispatch } from '../../src/main/rpc/dispatch.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { deliver, digest, messageCount, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';
import { until } from '../harness/until.js';

const dovecot = inject('dovecot');

describe('the engine service keeps a pair in step for the app', () => {
  it('one watch per pair (a second start attaches, a copy is refused), survives losing the network, stops on request', async () => {
    const src = addUser(dovecot, 'svcwatch');
    const dst = addUser(dovecot, 'svcwatchd');
    await seed(dovecot, src, [], [1, 2].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n) })));
    const stateDir = tempStateDir();
    const service = new CutoverService({ stateDir, host: 'web', caFile: dovecot.caFile, secretStore: new FileSecretStore(tokenCacheFile(stateDir)) });
    const events: { jobId: string; event: WatchEvent }[] = [];
    service.onEvent((e: ApiEvent) => {
      if (e.type === 'watch-event') events.push({ jobId: e.jobId, event: e.event });
    });
    // The old server is reached through a proxy the test can take away (the network going down).
    let proxy = await TcpProxy.start(dovecot.imapsPort);
    const source: MailAccountInput = { host: '127.0.0.1', port: proxy.port, user: src, tls: 'implicit', password: TEST_PASSWORD };
    const target = { kind: 'imap' as const, account: { host: '127.0.0.1', port: dovecot.imapsPort, user: dst, tls: 'implicit' as const, password: TEST_PASSWORD } };
    const sourceRef = { host: source.host, port: source.port, user: src, tls: source.tls };
    const targetRef = { kind: 'imap' as const, account: { host: '127.0.0.1', port: dovecot.imapsPort, user: dst, tls: 'implicit' as const } };
    try {
      expect(await service.watchStatus(sourceRef, targetRef)).toMatchObject({ state: 'not-started', jobId: null, copiedTotal: 0, safeToClose: { ok: false, waitingFor: ['switch-not-seen', 'compare-not-complete'] } });
      // The argument schemas guard the door.
      const refused = await dispatch(service, 'startWatch', [{ source, target, everySeconds: 1 }]);
      expect(refused).toMatchObject({ ok: false, error: { code: 'usage' } });

      const started = await dispatch(service, 'startWatch', [{ source, target, everySeconds: 3600 }]);
      if (!started.ok) throw new Error(started.error.message);
      const { jobId, attached } = started.value as { jobId: string; attached: boolean };
      expect(attached).toBe(false);
      expect(await service.startWatch({ source, target })).toEqual({ jobId, attached: true });
      await expect(service.startSync(source, target, { exclude: [], rename: {} })).rejects.toMatchObject({ code: 'pair-busy' });
      await until('the first pass', () => events.some((e) => e.jobId === jobId && e.event.type === 'checked'));
      // The first pass made the copy (no separate first copy here): those are the watch's copies too.
      expect(await messageCount(dovecot, dst)).toBe(2);
      expect(await service.watchStatus(sourceRef, targetRef)).toMatchObject({ state: 'watching', jobId, copiedTotal: 2 });

      // The network goes away; mail keeps arriving at the old server.
      const port = proxy.port;
      await proxy.stop();
      deliver(dovecot, src, 'INBOX', simpleMessage(3));
      await until('the watch notices', () => events.some((e) => e.event.type === 'reconnecting'));
      expect((await service.watchStatus(sourceRef, targetRef)).state).toBe('reconnecting');
      proxy = await TcpProxy.start(dovecot.imapsPort, port);
      await until('message 3 on the target', async () => (await messageCount(dovecot, dst)) === 3);
      await until('in step again', async () => (await service.watchStatus(sourceRef, targetRef)).state === 'watching');

      await service.stopWatch(jobId);
      await until('the watch stopped', () => events.some((e) => e.event.type === 'stopped'));
      expect(events.find((e) => e.event.type === 'stopped')?.event).toEqual({ type: 'stopped', reason: 'requested' });
      const status = await until('the pair free', async () => {
        const s = await service.watchStatus(sourceRef, targetRef);
        return s.jobId === null ? s : null;
      });
      expect(status).toMatchObject({ state: 'stopped', copiedTotal: 3, lateArrivals: { count: 0, items: [] }, error: null });
      expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));

      // The switch recorded by hand starts the sweep: 72 h at least.
      const recorded = await service.recordSwitch(sourceRef, targetRef, '2026-03-02T10:00:00Z');
      expect(recorded).toMatchObject({ switchSeenAt: '2026-03-02T10:00:00.000Z', sweepUntil: '2026-03-05T10:00:00.000Z' });
    } finally {
      await proxy.stop();
    }
  }, 240_000);
});
