import { describe, expect, it } from 'vitest';
import { HeaderFacts, headerFields } from '../../src/main/engine/imap/header-facts.js';

const block = (text: string): Buffer => Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');

describe('comparison facts from four header lines', () => {
  it('unfolds fields, keeps the first of each, and reads names in any case', () => {
    const f = headerFields(block('Message-ID:\n <a@b>\nSUBJECT: one\n\t two\nSubject: ignored\nX-Bad line\n\n'));
    expect(f.get('message-id')).toBe(' <a@b>');
    // Folded with a tab here, with a space on a server that rewrote the message: the same text.
    expect(f.get('subject')).toBe(' one two');
    expect(headerFields(block('Subject: one\n two\n\n')).get('subject')).toBe(' one two');
    expect(headerFields(undefined).size).toBe(0);
  });

  it('gives what the ENVELOPE gave: Message-ID, an ISO date, the decoded subject and the sender address', () => {
    const m = new HeaderFacts(7, 1234, new Set(['\\Seen']), block('Message-ID: <x@example.org>\nDate: Tue, 03 Mar 2020 10:00:00 +0100\nFrom: =?utf-8?q?J=C3=BCrgen?= <juergen@example.org>\nSubject: =?utf-8?b?R3LDvMOfZQ==?= aus Köln\n\n'));
    expect(m.messageId).toBe('<x@example.org>');
    expect(m.date).toBe('2020-03-03T09:00:00.000Z');
    expect(m.subject).toBe('Grüße aus Köln');
    expect(m.from).toBe('juergen@example.org');
    expect([m.uid, m.size, m.internalDate, [...m.flags]]).toEqual([7, 1234, null, ['\\Seen']]);
  });

  it('copes with missing and broken fields: no Message-ID, an unparsable date, a name without address', () => {
    const m = new HeaderFacts(1, 10, new Set(), block('Date: someday\nFrom: =?utf-8?q?Caf=C3=A9?=\n\n'));
    expect(m.messageId).toBeNull();
    expect(m.date).toBe('someday');
    expect(m.subject).toBe('');
    expect(m.from).toBe('Café');
    const empty = new HeaderFacts(2, 0, new Set(), undefined);
    expect([empty.messageId, empty.date, empty.subject, empty.from]).toEqual([null, null, '', '']);
  });
});
