import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GraphClient } from '../../src/main/engine/graph/graph-client.js';
import { SourceReader } from '../../src/main/engine/imap/source-reader.js';
import { exchangeAccount } from '../../src/main/engine/m365/exchange-target.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import type { SyncEvent } from '../../src/shared/sync-types.js';
import { account, tempState, tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { signInToStateDir } from '../harness/m365.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await TcpProxy.start(dovecot.imapsPort);
});
afterAll(async () => proxy.stop());

describe('an access token that expires during a long sync', () => {
  it('is refused once expired, and the sync reconnects with a fresh one and finishes', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const src = addUser(dovecot, 'exp');
    const body = 'e'.repeat(20_000);
    await seed(dovecot, src, [], Array.from({ length: 150 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i, { body }) })));
    const auth = await signInToStateDir(oidc, pki.caFile, user, tempStateDir());
    const first = await auth.imapCredentials();

    // The test provider's access tokens live 8 s; after that the old one no longer opens the mailbox.
    await new Promise((r) => setTimeout(r, 9_000));
    await expect(
      SourceReader.connect({ host: '127.0.0.1', port: dovecot.imapsPort, user, tls: 'implicit' }, { accessToken: first.accessToken }, { role: 'target', caFile: pki.caFile }),
    ).rejects.toMatchObject({ code: 'auth-failed' });

    // The target is named by the sign-in's own user name, so Graph is not asked for its other addresses.
    const target = await exchangeAccount(auth, new GraphClient({ getToken: (force) => auth.graphToken(force) }), user, { caFile: pki.caFile, imap: { host: '127.0.0.1', port: proxy.port } });
    const tokens: string[] = [];
    const credentials = target.credentials;
    target.credentials = async () => {
      const c = await credentials();
      if ('accessToken' in c) tokens.push(c.accessToken);
      return c;
    };
    const events: SyncEvent[] = [];
    let cut = false;
    const summary = await runSync({
      source: account(dovecot, src),
      target,
      state: tempState(),
      connections: 1,
      matchMode: 'reencoding',
      onEvent: (e) => {
        events.push(e);
        // Exchange ends sessions whose token expired; cut the target connection mid-copy the same way.
        if (!cut && e.type === 'folder-progress' && e.progress.messagesDone > 0) {
          cut = true;
          proxy.cutAll();
        }
      },
    });
    expect(summary.failed).toEqual([]);
    expect(summary.folderErrors).toEqual([]);
    expect(events.some((e) => e.type === 'reconnecting')).toBe(true);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(tokens).not.toContain(first.accessToken);
    expect(digest(await snapshot(dovecot, user)).INBOX).toEqual(digest(await snapshot(dovecot, src)).INBOX);
  }, 60_000);
});
