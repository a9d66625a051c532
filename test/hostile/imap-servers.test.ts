import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IMAP_LIMITS } from '../../src/main/engine/imap/imap-connection.js';
import { SourceReader } from '../../src/main/engine/imap/source-reader.js';
import { TargetWriter } from '../../src/main/engine/imap/target-writer.js';
import { CutoverError } from '../../src/shared/errors.js';
import type { ImapEndpoint, TlsMode } from '../../src/shared/imap-endpoint.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { fakeImap, hostileServer, TestPki, writeForever, type HostileServer } from '../harness/hostile-servers.js';
import { imapsUrl, runCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');
/** imapflow's own greeting timeout is 30 s: every verdict below must come well before it. */
const FAST_MS = 15_000;

const endpoint = (port: number, tls: TlsMode, host = '127.0.0.1'): ImapEndpoint => ({ host, port, user: 'someone', tls });

/** Connects, expects a failure, and says which and how long it took. */
async function failure(target: ImapEndpoint, caFile?: string): Promise<{ error: CutoverError; ms: number }> {
  const started = Date.now();
  try {
    const session = await SourceReader.connect(target, { password: 'not-used' }, { role: 'source', ...(caFile ? { caFile } : {}) });
    session.close();
  } catch (err) {
    if (!(err instanceof CutoverError)) throw err;
    return { error: err, ms: Date.now() - started };
  }
  throw new Error('connected, but a failure was expected');
}

const servers: HostileServer[] = [];
async function serve(...args: Parameters<typeof hostileServer>): Promise<HostileServer> {
  const server = await hostileServer(...args);
  servers.push(server);
  return server;
}
afterAll(async () => Promise.all(servers.map((s) => s.stop())));

let pki: TestPki;
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
beforeAll(() => {
  pki = new TestPki();
});

describe('a server that does not speak IMAP on that port', () => {
  it('sending garbage is "not IMAP", named by what it sent, in every TLS mode and long before a timeout', async () => {
    const garbage = await serve((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
    for (const mode of ['none', 'starttls', 'implicit'] as const) {
      const { error, ms } = await failure(endpoint(garbage.port, mode));
      expect(error.code, mode).toBe('not-imap');
      expect(error.message).toBe(`The server at 127.0.0.1:${garbage.port} does not speak IMAP; it sent "SSH-2.0-OpenSSH_9.2p1 Debian-2".`);
      expect(ms, mode).toBeLessThan(FAST_MS);
    }
  });

  it('answering in plain text on a port asked for implicit TLS says so (Dovecot’s plaintext port)', async () => {
    const { error, ms } = await failure(endpoint(dovecot.imapPort, 'implicit'));
    expect(error.code).toBe('plaintext-on-tls-port');
    expect(error.message).toMatch(new RegExp(`answered without encryption on port ${dovecot.imapPort} \\("\\* OK .*"\\), where a connection encrypted from the first byte \\(implicit TLS\\) was expected`));
    expect(ms).toBeLessThan(FAST_MS);
  });

  it('expecting TLS from the first byte, where STARTTLS or plain text was asked for, says so instead of waiting 30 s (Dovecot’s TLS port)', async () => {
    for (const mode of ['starttls', 'none'] as const) {
      const { error, ms } = await failure(endpoint(dovecot.imapsPort, mode));
      expect(error.code, mode).toBe('tls-on-plaintext-port');
      expect(error.message).toMatch(new RegExp(`expects encryption from the first byte \\(implicit TLS\\) on port ${dovecot.imapsPort}`));
      expect(ms, mode).toBeLessThan(FAST_MS);
    }
  });
});

describe('a server that sends without end', () => {
  it('one endless line fails fast with bounded memory, at the greeting and in the middle of a session', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const atGreeting = await serve((s) => {
      s.write('* OK ');
      writeForever(s, chunk);
    });
    const before = process.memoryUsage();
    const { error, ms } = await failure(endpoint(atGreeting.port, 'none'));
    expect(error.code).toBe('response-too-large');
    expect(error.retryable).toBe(false);
    expect(ms).toBeLessThan(FAST_MS);
    // The client hung up after about the line limit (plus what sat in socket buffers), not 1 GiB.
    expect(atGreeting.bytesWritten()).toBeLessThan(IMAP_LIMITS.maxLineBytes + 32 * 1024 * 1024);
    const after = process.memoryUsage();
    expect(after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)).toBeLessThan(256 * 1024 * 1024);

    const inList = await serve(
      fakeImap({
        onList: (s) => {
          s.write('* LIST () "/" ');
          writeForever(s, chunk);
        },
      }),
    );
    const session = await SourceReader.connect(endpoint(inList.port, 'none'), { password: 'x' }, { role: 'target' });
    try {
      await expect(session.listFolders(false)).rejects.toMatchObject({ code: 'response-too-large', message: expect.stringMatching(/new \(target\) mailbox someone@127\.0\.0\.1:\d+ sent a response larger than Cutover accepts while listing folders/) });
    } finally {
      session.close();
    }
    expect(inList.bytesWritten()).toBeLessThan(IMAP_LIMITS.maxLineBytes + 32 * 1024 * 1024);
  });
});

describe('a server that misbehaves while bodies are read or stored on the socket directly (imap/wire/)', () => {
  it('an endless line or a literal beyond 1 GiB in a FETCH answer: "response too large", bounded memory, connection closed', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const endless = await serve(
      fakeImap({
        onCommand: (s, _tag, line) => {
          if (!/ UID FETCH /i.test(line)) return false;
          s.write('* 1 FETCH (UID 1 BODY[] "');
          writeForever(s, chunk);
          return true;
        },
      }),
    );
    const reader = await SourceReader.connect(endpoint(endless.port, 'none'), { password: 'x' }, { role: 'source' });
    try {
      await expect(reader.fetchRaw([1, 2, 3])).rejects.toMatchObject({ code: 'response-too-large', retryable: false, message: expect.stringMatching(/while downloading messages/) });
      expect(reader.isUsable).toBe(false);
    } finally {
      reader.close();
    }
    expect(endless.bytesWritten()).toBeLessThan(IMAP_LIMITS.maxLineBytes + 32 * 1024 * 1024);

    const huge = await serve(
      fakeImap({
        onCommand: (s, _tag, line) => {
          if (!/ UID FETCH /i.test(line)) return false;
          s.write(`* 1 FETCH (UID 1 BODY[] {${IMAP_LIMITS.maxLiteralBytes + 1}}\r\n`);
          writeForever(s, chunk);
          return true;
        },
      }),
    );
    const second = await SourceReader.connect(endpoint(huge.port, 'none'), { password: 'x' }, { role: 'source' });
    try {
      await expect(second.fetchRaw([1])).rejects.toMatchObject({ code: 'response-too-large' });
    } finally {
      second.close();
    }
    expect(huge.bytesWritten()).toBeLessThan(32 * 1024 * 1024);
  });

  it('without LITERAL+, a message is sent only after the server’s "+": refused before it, nothing of it goes out', async () => {
    const lines: string[] = [];
    const server = await serve(
      fakeImap({
        onCommand: (s, tag, line) => {
          lines.push(line);
          if (!/ APPEND /i.test(line)) return false;
          // The first message is refused at once; the second is invited, then stored.
          if (lines.filter((l) => / APPEND /i.test(l)).length === 1) s.write(`${tag} NO [TOOBIG] Message too large\r\n`);
          else s.write('+ go ahead\r\n');
          return true;
        },
      }),
    );
    const writer = await TargetWriter.connect(endpoint(server.port, 'none'), { password: 'x' }, {});
    try {
      expect(writer.hasCapability('LITERAL+')).toBe(false);
      const refused = Buffer.from('Subject: first\r\n\r\nREFUSED-BODY\r\n');
      const outcomes = writer.appendEach('INBOX', [{ parts: [refused], size: refused.length, flags: [], internalDate: null }]);
      await expect(outcomes).resolves.toMatchObject([{ stored: false, error: { code: 'server-refused', detail: expect.stringMatching(/Message too large/) } }]);
    } finally {
      writer.close();
    }
    expect(lines.some((l) => l.includes('REFUSED-BODY'))).toBe(false);
    expect(lines.find((l) => / APPEND /i.test(l))).toMatch(/ APPEND INBOX \(\) \{\d+\}$/);
  });
});

describe('APPENDs sent at once (LITERAL+) to a server that stops answering or asks to slow down', () => {
  const message = (text: string): { parts: Buffer[]; size: number; flags: string[]; internalDate: null } => ({ parts: [Buffer.from(text)], size: text.length, flags: [], internalDate: null });

  it('keeps the answers that came, calls the rest unanswered (retryable), and leaves no promise unhandled', async () => {
    let appends = 0;
    const server = await serve(
      fakeImap({
        capabilities: 'LITERAL+ UIDPLUS',
        onCommand: (s, tag, line) => {
          if (/ APPEND /i.test(line)) {
            appends++;
            if (appends === 2) s.write(`${tag} BAD Request is throttled. Suggested Backoff Time: 100 milliseconds\r\n`);
            if (appends === 3) s.destroy();
            else if (appends === 1) s.write(`${tag} OK [APPENDUID 7 41] done\r\n`);
            return true;
          }
          // The literals (one line each here) need no answer.
          return line.startsWith('Subject:');
        },
      }),
    );
    const writer = await TargetWriter.connect(endpoint(server.port, 'none'), { password: 'x' }, {});
    try {
      const outcomes = await writer.appendEach('INBOX', ['Subject: one', 'Subject: two', 'Subject: three', 'Subject: four'].map(message));
      expect(outcomes[0]).toEqual({ stored: true, uid: 41, uidValidity: 7 });
      expect(outcomes[1]).toMatchObject({ stored: false, error: { code: 'throttled', retryable: true } });
      expect(outcomes.slice(2)).toMatchObject([
        { stored: false, error: { code: 'connection-lost', retryable: true } },
        { stored: false, error: { code: 'connection-lost', retryable: true } },
      ]);
      expect(writer.isUsable).toBe(false);
    } finally {
      writer.close();
    }
  });

  it('a refusal that comes before the server read the message: the command is finished before anything else goes out', async () => {
    const lines: string[] = [];
    let appends = 0;
    const server = await serve(
      fakeImap({
        capabilities: 'LITERAL+ MULTIAPPEND',
        onCommand: (s, tag, line) => {
          const isAppend = / APPEND /i.test(line);
          if (appends === 0 && !isAppend) return false;
          lines.push(line);
          if (isAppend && appends++ === 0) {
            // Refused at once, then a pause before reading on: the client's bytes pile up unsent.
            s.write(`${tag} NO [TOOBIG] too large\r\n`);
            s.pause();
            setTimeout(() => s.resume(), 300);
          } else if (isAppend) s.write(`${tag} OK done\r\n`);
          // Everything after the first APPEND line is its messages, or a later APPEND.
          return true;
        },
      }),
    );
    const writer = await TargetWriter.connect(endpoint(server.port, 'none'), { password: 'x' }, {});
    const big = (n: number): string => `Subject: big ${n}\r\n\r\n${'line of a large message\r\n'.repeat(200_000)}END-OF-${n}`;
    try {
      await expect(writer.appendMany('INBOX', [1, 2].map((n) => message(big(n))))).rejects.toMatchObject({ code: 'server-refused' });
      // The fallback after a refused MULTIAPPEND, on the same connection.
      await expect(writer.appendEach('INBOX', [message('Subject: after')])).resolves.toMatchObject([{ stored: true }]);
    } finally {
      writer.close();
    }
    const second = lines.findIndex((l, i) => i > 0 && / APPEND /i.test(l));
    expect(second).toBeGreaterThan(lines.indexOf('END-OF-2'));
  });
});

describe('certificates', () => {
  it('made for another host name is a name mismatch naming the certificate’s names, not an untrusted CA', async () => {
    const other = pki.leaf('other-name', 'DNS:mail.example.test,DNS:imap.example.test', { from: day(-1), to: day(30) });
    const server = await serve(fakeImap(), other);
    const { error } = await failure(endpoint(server.port, 'implicit'), pki.caFile);
    expect(error.code).toBe('tls-name-mismatch');
    expect(error.message).toBe(`The certificate of the old (source) mailbox someone@127.0.0.1:${server.port} is made for mail.example.test, imap.example.test, not for "127.0.0.1".`);
  });

  it('out of date says since or until when, over implicit TLS and over STARTTLS', async () => {
    const expired = pki.leaf('expired', 'IP:127.0.0.1,DNS:localhost', { from: '20200101000000Z', to: '20200201000000Z' });
    const future = pki.leaf('future', 'IP:127.0.0.1', { from: '20990101000000Z', to: '20990201000000Z' });
    const implicit = await serve(fakeImap(), expired);
    const starttls = await serve(fakeImap({ starttls: expired }));
    for (const [server, mode] of [[implicit, 'implicit'], [starttls, 'starttls']] as const) {
      const { error } = await failure(endpoint(server.port, mode), pki.caFile);
      expect(error.code, mode).toBe('tls-expired');
      expect(error.message, mode).toMatch(/certificate of the old \(source\) mailbox .* expired on 2020-02-01 \(made for 127\.0\.0\.1, issued by "Cutover Hostile Test CA"\)/);
    }
    const early = await serve(fakeImap(), future);
    expect((await failure(endpoint(early.port, 'implicit'), pki.caFile)).error.message).toMatch(/is valid only from 2099-01-01/);
  });

  it('from an authority this computer does not trust is "untrusted"', async () => {
    const valid = pki.leaf('valid', 'IP:127.0.0.1', { from: day(-1), to: day(30) });
    const server = await serve(fakeImap(), valid);
    expect((await failure(endpoint(server.port, 'implicit'))).error.code).toBe('tls-untrusted');
  });
});

describe('the --ca file', () => {
  it('without a certificate in it is an error naming the file, before any connection; a DER certificate is accepted', async () => {
    const dir = tempStateDir();
    const garbage = join(dir, 'company-ca.pem');
    writeFileSync(garbage, 'Hello, I am not a certificate.\n');
    await expect(SourceReader.connect(endpoint(dovecot.imapsPort, 'implicit'), { password: 'x' }, { role: 'source', caFile: garbage })).rejects.toMatchObject({
      code: 'usage',
      message: `The certificate authority file "${garbage}" holds no certificate (expected PEM text with "-----BEGIN CERTIFICATE-----", or a DER certificate).`,
    });
    const broken = join(dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(SourceReader.connect(endpoint(dovecot.imapsPort, 'implicit'), { password: 'x' }, { role: 'source', caFile: broken })).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/not a valid certificate/) });

    const der = join(dir, 'ca.der');
    execFileSync('openssl', ['x509', '-in', dovecot.caFile, '-outform', 'der', '-out', der]);
    const user = addUser(dovecot, 'der');
    const session = await SourceReader.connect({ host: '127.0.0.1', port: dovecot.imapsPort, user, tls: 'implicit' }, { password: TEST_PASSWORD }, { role: 'source', caFile: der });
    expect((await session.listFolders(false)).length).toBeGreaterThan(0);
    await session.logout();

    const cli = await runCli(['sync', '--source', imapsUrl(user, dovecot.imapsPort), '--target', imapsUrl(user, dovecot.imapsPort), '--ca', garbage, '--state-dir', dir]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/The certificate authority file ".*company-ca\.pem" holds no certificate/);
  }, 60_000);

  it('the CLI adds its own advice to the engine’s facts (imap:// to a TLS port)', async () => {
    const user = addUser(dovecot, 'hint');
    const cli = await runCli(['sync', '--source', `imap://${user}@127.0.0.1:${dovecot.imapsPort}`, '--target', imapsUrl(user, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', tempStateDir()]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/expects encryption from the first byte \(implicit TLS\) on port \d+, but a plain connection upgraded with STARTTLS was asked for\. Use imaps:\/\/ for this port\./);
  }, 60_000);
});

describe('a comparison’s UID ranges from a server that adds FETCH responses of its own', () => {
  it('takes only the answers it asked for: a flag change by another client moves no boundary', async () => {
    const server = await serve(
      fakeImap({
        onCommand: (s, tag, line) => {
          if (/ EXAMINE /i.test(line)) {
            s.write(`* 10 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\n* OK [UIDNEXT 40] ok\r\n${tag} OK [READ-ONLY] done\r\n`);
            return true;
          }
          if (/ FETCH 3,6,9 /i.test(line)) {
            // Unasked: a flag change without UID, and another message's with one.
            s.write(`* 2 FETCH (FLAGS (\\Seen))\r\n* 3 FETCH (UID 7)\r\n* 4 FETCH (UID 9 FLAGS ())\r\n* 6 FETCH (UID 20)\r\n* 9 FETCH (UID 33)\r\n${tag} OK done\r\n`);
            return true;
          }
          return false;
        },
      }),
    );
    const reader = await SourceReader.connect(endpoint(server.port, 'none'), { password: 'x' }, { role: 'source' });
    try {
      const box = await reader.examine('INBOX');
      expect(await reader.uidRanges(box.exists, 3)).toEqual(['1:7', '8:20', '21:33', '34:*']);
    } finally {
      reader.close();
    }
  });
});
