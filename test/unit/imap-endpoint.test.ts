import { describe, expect, it } from 'vitest';
import { CutoverError } from '../../src/shared/errors.js';
import { parseImapUrl, redactUrl } from '../../src/shared/imap-endpoint.js';

describe('parsing IMAP URLs from the command line', () => {
  it('reads implicit TLS, STARTTLS and loopback plaintext with default ports', () => {
    expect(parseImapUrl('imaps://me@mail.example', 'source')).toEqual({ host: 'mail.example', port: 993, user: 'me', tls: 'implicit' });
    expect(parseImapUrl('imap://me@mail.example', 'source')).toEqual({ host: 'mail.example', port: 143, user: 'me', tls: 'starttls' });
    expect(parseImapUrl('imap://me@127.0.0.1:1143?tls=none', 'target')).toEqual({ host: '127.0.0.1', port: 1143, user: 'me', tls: 'none' });
    expect(parseImapUrl('imap://me@[::1]:1143?tls=none', 'target').host).toBe('::1');
  });

  it('decodes a percent-encoded user name', () => {
    expect(parseImapUrl('imaps://first.last%40example.org@imap.example.org:993', 'source').user).toBe('first.last@example.org');
  });

  it.each([
    ['imaps://mail.example', /no user name/],
    ['https://me@mail.example', /must start with imaps/],
    ['imaps://me:hunter2@mail.example', /must not contain a password/],
    ['imap://me@mail.example?tls=none', /not this computer/],
    ['imaps://me@mail.example?tls=none', /always encrypted/],
    ['imaps://me@mail.example:99999', /not a valid URL|invalid port/],
    ['imaps://me@mail.example/INBOX', /must not have a path/],
    ['imaps://me@mail.example?foo=1', /unknown option/],
    ['not a url', /not a valid URL/],
  ])('refuses %s with a clear reason', (url, reason) => {
    expect(() => parseImapUrl(url, 'source')).toThrow(reason);
  });

  it('never echoes a password given in the URL', () => {
    try {
      parseImapUrl('imaps://me:hunter2@mail.example', 'source');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
    expect(redactUrl('imaps://me:hunter2@h')).toBe('imaps://me:***@h');
  });

  it('turns any garbage into a usage error, never a crash', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'imaps:/@?%&=[]:.0123456789abc\u0000\u00e9 ';
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(rand() * 40) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      try {
        parseImapUrl(text, 'source');
      } catch (err) {
        expect(err).toBeInstanceOf(CutoverError);
        expect((err as CutoverError).code).toBe('usage');
      }
    }
  });
});
