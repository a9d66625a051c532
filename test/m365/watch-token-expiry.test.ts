import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GraphClient } from '../../src/main/engine/graph/graph-client.js';
import { ImapConnection } from '../../src/main/engine/imap/imap-connection.js';
import { StateStore } from '../../src/main/engine/state/state-store.js';
import { exchangeAccount } from '../../src/main/engine/m365/exchange-target.js';
import { runWatch } from '../../src/main/engine/watch/run-watch.js';
import type { WatchEvent } from '../../src/shared/watch-types.js';
import { account, tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { signInToStateDir } from '../harness/m365.js';
import { digest, messageCount, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';
import { until } from '../harness/until.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await TcpProxy.start(dovecot.imapsPort);
});
afterAll(async () => proxy.stop());

describe('a watch that outlives its access token', () => {
  it('copies what arrives after the first token expired, signing in again with a fresh one', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const src = addUser(dovecot, 'wexp');
    await seed(dovecot, src, [], [1, 2].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n) })));
    const auth = await signInToStateDir(oidc, pki.caFile, user, tempStateDir());
    const target = await exchangeAccount(auth, new GraphClient({ getToken: (force) => auth.graphToken(force) }), user, { caFile: pki.caFile, imap: { host: '127.0.0.1', port: proxy.port } });
    const tokens: string[] = [];
    const credentials = target.credentials;
    target.credentials = async () => {
      const c = await credentials();
      if ('accessToken' in c) tokens.push(c.accessToken);
      return c;
    };
    const events: WatchEvent[] = [];
    const stop = new AbortController();
    const watching = runWatch({
      source: account(dovecot, src),
      target,
      state: StateStore.open(tempStateDir()),
      sync: { connections: 1, matchMode: 'reencoding' },
      everyMs: 3600_000,
      signal: stop.signal,
      onEvent: (e) => events.push(e),
    });
    try {
      await until('the first pass', () => events.some((e) => e.type === 'checked'));
      const first = tokens[0]!;
      // The test provider's tokens live 8 s: wait until the first one no longer opens the mailbox.
      await until('the first token refused', async () => {
        try {
          const s = await ImapConnection.connect({ host: '127.0.0.1', port: dovecot.imapsPort, user, tls: 'implicit' }, { accessToken: first }, { role: 'target', caFile: pki.caFile });
          await s.logout();
          return false;
        } catch (err) {
          return (err as { code?: string }).code === 'auth-failed';
        }
      });
      execFileSync('doveadm', ['-c', join(dovecot.dir, 'dovecot.conf'), 'save', '-u', src, '-m', 'INBOX'], { input: simpleMessage(3) });
      await until('message 3 on the target', async () => (await messageCount(dovecot, user)) === 3);
    } finally {
      stop.abort();
    }
    expect(await watching).toEqual({ reason: 'requested', error: null });
    expect(tokens.filter((t) => t !== tokens[0]).length).toBeGreaterThanOrEqual(1);
    expect(events.filter((e) => e.type === 'problem')).toEqual([]);
    expect(digest(await snapshot(dovecot, user)).INBOX).toEqual(digest(await snapshot(dovecot, src)).INBOX);
  }, 120_000);
});
