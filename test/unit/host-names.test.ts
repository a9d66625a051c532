import { describe, expect, inject, it } from 'vitest';
import { suggestServers } from '../../src/main/engine/discovery/suggest-servers.js';
import { SourceReader } from '../../src/main/engine/imap/source-reader.js';
import { asciiHost } from '../../src/main/engine/net/host-name.js';
import { mailAccountSchema } from '../../src/shared/app-api.js';
import { parseImapUrl } from '../../src/shared/imap-endpoint.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';

const dovecot = inject('dovecot');

describe('internationalized host names', () => {
  it('become punycode for the network and stay as typed for people', () => {
    expect(asciiHost('bücher.example')).toBe('xn--bcher-kva.example');
    expect(asciiHost('IMAP.Bücher.Example.')).toBe('imap.xn--bcher-kva.example');
    expect(asciiHost('imap.example.org')).toBe('imap.example.org');
    expect(asciiHost('127.0.0.1')).toBe('127.0.0.1');
    expect(asciiHost('[::1]')).toBe('::1');
    expect(() => asciiHost('bad host')).toThrow('"bad host" is not a valid host name.');
    // imap:// is not a special URL scheme: the URL parser leaves the name percent-encoded.
    expect(parseImapUrl('imaps://anna@bücher.example', 'source')).toEqual({ host: 'bücher.example', port: 993, user: 'anna', tls: 'implicit' });
    expect(parseImapUrl('imap://anna@b%C3%BCcher.example:143', 'source').host).toBe('bücher.example');
    expect(mailAccountSchema.safeParse({ host: 'bücher.example', port: 993, user: 'a', tls: 'implicit', password: 'p' }).success).toBe(true);
    expect(mailAccountSchema.safeParse({ host: 'bad host!', port: 993, user: 'a', tls: 'implicit', password: 'p' }).success).toBe(false);
  });

  it('are looked up in punycode when finding the server from an address', async () => {
    const asked: string[] = [];
    const fetchImpl = (async (url: string) => {
      asked.push(url);
      return new Response('', { status: 404 });
    }) as unknown as typeof fetch;
    const srv: string[] = [];
    const found = await suggestServers('anna@bücher.example', { fetchImpl, timeoutMs: 200, resolveSrv: async (name) => (srv.push(name), []) });
    expect(asked).toEqual([
      'https://autoconfig.xn--bcher-kva.example/mail/config-v1.1.xml?emailaddress=anna%40b%C3%BCcher.example',
      'https://xn--bcher-kva.example/.well-known/autoconfig/mail/config-v1.1.xml',
      'https://autoconfig.thunderbird.net/v1.1/xn--bcher-kva.example',
    ]);
    expect(srv).toEqual(['_imaps._tcp.xn--bcher-kva.example', '_imap._tcp.xn--bcher-kva.example']);
    expect(found.map((f) => f.host)).toEqual(['imap.bücher.example', 'mail.bücher.example']);
  });

  it('reach the server and pass its certificate check under their ASCII name (full-width ｌｏｃａｌｈｏｓｔ is localhost)', async () => {
    const user = addUser(dovecot, 'idn');
    const session = await SourceReader.connect({ host: 'ｌｏｃａｌｈｏｓｔ', port: dovecot.imapsPort, user, tls: 'implicit' }, { password: TEST_PASSWORD }, { role: 'source', caFile: dovecot.caFile });
    expect((await session.listFolders(false)).length).toBeGreaterThan(0);
    expect(session.account.display).toBe(`${user}@ｌｏｃａｌｈｏｓｔ:${dovecot.imapsPort}`);
    await session.logout();
  });
});
