import { describe, expect, it } from 'vitest';
import { parseAutoconfig, suggestServers } from '../../src/main/engine/discovery/suggest-servers.js';

const ISPDB = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.org">
  <incomingServer type="imap"><hostname>imap.example.org</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
  <incomingServer type="imap"><hostname>imap.example.org</hostname><port>143</port><socketType>STARTTLS</socketType></incomingServer>
  <incomingServer type="pop3"><hostname>pop.example.org</hostname><port>995</port><socketType>SSL</socketType></incomingServer>
  <incomingServer type="imap"><hostname>%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
</emailProvider></clientConfig>`;

describe('finding the old server from the address', () => {
  it('reads IMAP servers from an autoconfig document (and ignores POP and placeholders)', () => {
    expect(parseAutoconfig(ISPDB, 'ispdb')).toEqual([
      { host: 'imap.example.org', port: 993, tls: 'implicit', source: 'ispdb' },
      { host: 'imap.example.org', port: 143, tls: 'starttls', source: 'ispdb' },
    ]);
  });

  it('asks autoconfig and ISPDB first, then falls back to common names, without duplicates', async () => {
    const asked: string[] = [];
    const fetchImpl = (async (url: string) => {
      asked.push(url);
      return url.includes('thunderbird.net') ? new Response(ISPDB) : new Response('', { status: 404 });
    }) as unknown as typeof fetch;
    const found = await suggestServers('anna@example.org', { fetchImpl, timeoutMs: 200 });
    expect(asked).toEqual([
      'https://autoconfig.example.org/mail/config-v1.1.xml?emailaddress=anna%40example.org',
      'https://example.org/.well-known/autoconfig/mail/config-v1.1.xml',
      'https://autoconfig.thunderbird.net/v1.1/example.org',
    ]);
    expect(found[0]).toEqual({ host: 'imap.example.org', port: 993, tls: 'implicit', source: 'ispdb' });
    expect(found.map((f) => `${f.host}:${f.port}`)).toEqual(['imap.example.org:993', 'imap.example.org:143', 'mail.example.org:993']);
    expect(await suggestServers('not-an-address')).toEqual([]);
  });
});
