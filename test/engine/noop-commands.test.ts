import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ImapAccount } from '../../src/main/engine/imap/imap-account.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { tempState } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { seed, simpleMessage } from '../harness/mailbox.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const dovecot = inject('dovecot');
let proxy: TcpProxy;

beforeAll(async () => {
  // Plaintext IMAP on loopback through a proxy that reads the commands the engine sends.
  proxy = await TcpProxy.start(dovecot.imapPort);
});
afterAll(async () => {
  await proxy.stop();
});

function viaProxy(user: string): ImapAccount {
  return { endpoint: { host: '127.0.0.1', port: proxy.port, user, tls: 'none' }, credentials: async () => ({ password: TEST_PASSWORD }) };
}

/** Commands that open a folder, read messages or write anything: none belongs in a no-op rerun. */
const FOLDER_WORK = ['SELECT', 'EXAMINE', 'FETCH', 'UID FETCH', 'SEARCH', 'UID SEARCH', 'APPEND', 'STORE', 'UID STORE', 'CREATE', 'EXPUNGE', 'UID EXPUNGE'];

describe('a rerun when nothing changed', () => {
  it('asks each source folder its STATUS once and opens no folder on either side', async () => {
    const src = addUser(dovecot, 'noop-src');
    const dst = addUser(dovecot, 'noop-dst');
    const folders = ['Work', 'Work.Old', 'Lists'];
    await seed(dovecot, src, folders, [
      ...[1, 2, 3].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n) })),
      ...[4, 5].map((n) => ({ folder: 'Work', raw: simpleMessage(n) })),
      { folder: 'Work.Old', raw: simpleMessage(6) },
      { folder: 'Lists', raw: simpleMessage(7) },
    ]);
    const state = tempState();
    const first = await runSync({ source: viaProxy(src), target: viaProxy(dst), state });
    expect(first.copied).toBe(7);

    proxy.clientLines.length = 0;
    proxy.recordClientLines = true;
    const noop = await runSync({ source: viaProxy(src), target: viaProxy(dst), state });
    proxy.recordClientLines = false;
    expect([noop.copied, noop.alreadyPresent, noop.flagsUpdated, noop.failed.length]).toEqual([0, 7, 0, 0]);

    const commands = proxy.commands();
    expect(commands.filter((c) => FOLDER_WORK.includes(c))).toEqual([]);
    // Folder states come with the listing (LIST-STATUS) or as one STATUS per folder, never more.
    const statuses = commands.filter((c) => c === 'STATUS').length;
    const listStatus = proxy.clientLines.some((l) => /^\S+ LIST .*RETURN .*STATUS/i.test(l));
    expect(listStatus || statuses > 0).toBe(true);
    expect(statuses).toBeLessThanOrEqual(listStatus ? 0 : 1 + folders.length);
    state.close();
  });
});
