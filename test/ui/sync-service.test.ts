import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { ApiEvent, MailAccountInput, TargetInput } from '../../src/shared/app-api.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { CutoverService } from '../../src/main/engine/service/cutover-service.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const dovecot = inject('dovecot');

describe('the engine service runs one copy per mailbox pair', () => {
  it('attaches a second start to the running copy, refuses another process’s pair, and reports the pair’s state', async () => {
    const src = addUser(dovecot, 'svc');
    const dst = addUser(dovecot, 'svcd');
    await seed(dovecot, src, ['Work'], Array.from({ length: 40 }, (_, i) => ({ folder: i % 2 ? 'Work' : 'INBOX', raw: simpleMessage(i) })));
    const stateDir = tempStateDir();
    const proxy = await TcpProxy.start(dovecot.imapPort);
    const service = new CutoverService({ stateDir, host: 'web', caFile: dovecot.caFile, secretStore: new FileSecretStore(join(stateDir, 'tokens.json')) });
    const events: ApiEvent[] = [];
    service.onEvent((e) => events.push(e));
    const source: MailAccountInput = { host: '127.0.0.1', port: dovecot.imapsPort, user: src, tls: 'implicit', password: TEST_PASSWORD };
    const target: TargetInput = { kind: 'imap', account: { host: '127.0.0.1', port: proxy.port, user: dst, tls: 'none', password: TEST_PASSWORD } };
    const refs = [{ host: source.host, port: source.port, user: source.user, tls: source.tls }, { kind: 'imap' as const, account: { host: '127.0.0.1', port: proxy.port, user: dst, tls: 'none' as const } }] as const;
    try {
      // Hold the copy after its first stored batch, so it is certainly running while we ask.
      proxy.holdWhenServerSays('[APPENDUID');
      const first = await service.startSync(source, target, { exclude: [], rename: {} });
      expect(first.attached).toBe(false);
      await expect.poll(() => proxy.holding, { timeout: 30_000, interval: 20 }).toBe(true);
      const second = await service.startSync(source, target, { exclude: [], rename: {}, repair: true });
      expect(second).toEqual({ id: first.id, attached: true });

      const during = await service.syncStatus(...refs);
      expect(during.running).toMatchObject({ id: first.id, plan: { messages: 40, alreadyDone: 0 } });
      expect(during.elsewhere).toBeNull();

      // Another engine (as another process would be) cannot start the same pair.
      const other = new CutoverService({ stateDir, host: 'web', caFile: dovecot.caFile, secretStore: new FileSecretStore(join(stateDir, 'tokens.json')) });
      await expect(other.startSync(source, target, { exclude: [], rename: {} })).rejects.toMatchObject({ code: 'pair-busy', facts: { pid: process.pid } });

      proxy.release();
      await expect.poll(() => events.some((e) => e.type === 'sync-finished' && e.jobId === first.id), { timeout: 60_000 }).toBe(true);
      const finished = events.find((e): e is Extract<ApiEvent, { type: 'sync-finished' }> => e.type === 'sync-finished')!;
      expect(finished.summary).toMatchObject({ copied: 40, cancelled: false });
      expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));

      // Afterwards, from the state database: the pair's total, also for a page that never saw the run.
      const after = await other.syncStatus(...refs);
      expect(after).toMatchObject({ running: null, elsewhere: null, known: 40, done: 40, failed: 0, copiedByCutover: 40, lastRun: { copied: 40, cancelled: false } });
      expect(after.folders.map((f) => [f.source, f.done, f.known])).toEqual([['INBOX', 20, 20], ['Work', 20, 20]]);
    } finally {
      await proxy.stop();
    }
  }, 120_000);
});
