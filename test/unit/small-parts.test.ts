import { describe, expect, it } from 'vitest';
import { mailboxArgument } from '../../src/main/engine/imap/target-writer.js';
import { fingerprint } from '../../src/main/engine/mail/fingerprint.js';
import { uuidV5 } from '../../src/main/engine/pim/source-identity.js';
import { flagsToText, splitKeptFlags } from '../../src/main/engine/mail/message-flags.js';
import { restoreNulBytes } from '../../src/main/engine/sync/nul-recovery.js';
import { ProgressMeter } from '../../src/main/engine/sync/progress-meter.js';
import { byteSize, megabytes } from '../../src/shared/byte-size.js';
import { escapeHtml } from '../../src/shared/html-text.js';

describe('restoring NUL bytes masked as 0x80', () => {
  it('restores only where BINARY[] shows a NUL at the same offset', () => {
    const body = Buffer.from([0x41, 0x80, 0x42, 0x80]);
    const binary = Buffer.from([0x41, 0x00, 0x42, 0x80]);
    expect(restoreNulBytes(body, binary)).toEqual({ bytes: Buffer.from([0x41, 0x00, 0x42, 0x80]), restored: 1 });
  });
  it('distrusts BINARY[] that decoded a part (other length or other bytes)', () => {
    expect(restoreNulBytes(Buffer.from('aGk=\x80', 'latin1'), Buffer.from('hi\x00', 'latin1'))).toBeNull();
    expect(restoreNulBytes(Buffer.from('ab\x80', 'latin1'), Buffer.from('xb\x00', 'latin1'))).toBeNull();
  });
});

describe('flags', () => {
  it('keeps what PERMANENTFLAGS allows and reports the rest', () => {
    const exchange = new Set(['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft', '$MDNSent']);
    expect(splitKeptFlags(['\\Seen', '$Forwarded', '$MDNSent', 'Junk'], exchange)).toEqual({ kept: ['\\Seen', '$MDNSent'], dropped: ['$Forwarded', 'Junk'] });
    expect(splitKeptFlags(['\\Seen', '$label1'], new Set(['\\Seen', '\\*']))).toEqual({ kept: ['\\Seen', '$label1'], dropped: [] });
    expect(splitKeptFlags(['\\Draft'], new Set(['\\Seen', '\\*']))).toEqual({ kept: [], dropped: ['\\Draft'] });
  });
  it('stores flags in one canonical form without \\Recent', () => {
    expect(flagsToText(['\\Seen', '\\Recent', '$A'])).toBe('$A \\Seen');
  });
});

describe('the folder name a MULTIAPPEND names', () => {
  // imapflow's own encoders, as its APPEND uses them; the session is reduced to what they read.
  const session = (enabled: string[]) => ({ enabled: new Set(enabled), capabilities: new Map([['IMAP4rev1', true]]), namespace: { prefix: '', delimiter: '.' } }) as unknown as Parameters<typeof mailboxArgument>[0];
  it('is modified UTF-7 (RFC 3501 §5.1.3) on a server without UTF8=ACCEPT', () => {
    expect(mailboxArgument(session([]), 'Entwürfe & Co').value).toBe('Entw&APw-rfe &- Co');
    expect(mailboxArgument(session([]), '~peter/mail/台北/日本語').value).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    expect(mailboxArgument(session([]), 'inbox').value).toBe('INBOX');
  });
  it('is the name itself once the server accepted UTF8=ACCEPT (RFC 6855)', () => {
    expect(mailboxArgument(session(['UTF8=ACCEPT']), 'Entwürfe & Co').value).toBe('Entwürfe & Co');
  });
});

describe('fingerprints', () => {
  const base = { messageId: '<a@b>', size: 100, internalDate: new Date('2020-01-01T00:00:00Z'), date: null, from: 'x', subject: 's' };
  it('tell apart two messages that share a Message-ID but not their size', () => {
    expect(fingerprint(base, 'exact')).not.toBe(fingerprint({ ...base, size: 101 }, 'exact'));
    expect(fingerprint(base, 'reencoding')).toBe(fingerprint({ ...base, size: 101 }, 'reencoding'));
  });
  it('fall back to Date/From/Subject when there is no Message-ID', () => {
    const a = { ...base, messageId: null, date: '2020-01-01', from: 'x@y', subject: 'Hello' };
    expect(fingerprint(a, 'exact')).toMatch(/^hdr:/);
    expect(fingerprint(a, 'exact')).not.toBe(fingerprint({ ...a, subject: 'Other' }, 'exact'));
  });
});

describe('progress', () => {
  it('reports rate and ETA from recent samples', () => {
    let now = 0;
    const meter = new ProgressMeter('INBOX', 'INBOX', 10, 10_000, { messages: 0, bytes: 0 }, null, () => now);
    now = 1000;
    meter.add(2, 2000);
    now = 2000;
    meter.add(3, 3000);
    const p = meter.snapshot();
    expect(p).toMatchObject({ messagesDone: 5, bytesDone: 5000, bytesPerSecond: 2500, etaSeconds: 2 });
  });
});

describe('throttling', () => {
  it('waits as long as the server asked before reconnecting', async () => {
    const { toCutoverError } = await import('../../src/main/engine/imap/imap-errors.js');
    const { withReconnect } = await import('../../src/main/engine/sync/reconnect.js');
    const throttled = toCutoverError({ code: 'ETHROTTLE', throttleReset: 1200, message: 'Request is throttled.' }, { role: 'target', display: 'a@b:993' }, 'storing');
    expect(throttled).toMatchObject({ code: 'throttled', retryable: true, retryAfterSeconds: 2 });
    const events: unknown[] = [];
    let calls = 0;
    const started = Date.now();
    const result = await withReconnect(
      async () => {
        if (calls++ === 0) throw throttled;
        return 'done';
      },
      { signal: new AbortController().signal, folder: 'INBOX', emit: (e) => events.push(e) },
    );
    expect(result).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(events[0]).toEqual({ type: 'throttled', folder: 'INBOX', waitSeconds: 2 });
  });
});

describe('an event\'s transactionId', () => {
  it('is the same name-based UUID it always was (events copied before keep theirs, so a rerun creates no second copy)', () => {
    // Values made by the hand-written RFC 4122 v5 this replaced; the uuid package must give the same.
    expect(uuidV5('a')).toBe('e1407479-3136-56c0-9908-bb02fb0339e2');
    expect(uuidV5('ünïcödé ✓ 日本')).toBe('ca7d9e71-f4e5-56bb-a8b1-6a095e0f8e17');
    expect(uuidV5('')).toBe('1b4db7eb-4057-5ddf-91e0-36dec72071f5');
  });
});

describe('text put into HTML', () => {
  it('escapes exactly &, <, > and " (an event body is part of its change hash, so this must not drift)', () => {
    expect(escapeHtml('<a href="x">Tom & Jerry\'s</a>')).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry\'s&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('sizes as people read them', () => {
  it('takes the unit that fits, in binary units, with one decimal from MB on and none below', () => {
    expect([0, 1023, 1024, 14_848, 1_048_575, 2_202_010, 1_073_741_824 * 1.25].map((n) => byteSize(n))).toEqual(['0 B', '1023 B', '1 KB', '15 KB', '1024 KB', '2.1 MB', '1.3 GB']);
    expect([52_428_800, 2_202_010, 36_700_160].map((n) => megabytes(n))).toEqual(['50 MB', '2.1 MB', '35 MB']);
  });
  it('lets a host write the number its own way', () => {
    expect(byteSize(2_202_010, (n, d) => n.toFixed(d).replace('.', ','))).toBe('2,1 MB');
  });
});
