import { describe, expect, inject, it } from 'vitest';
import { connectReader } from '../../src/main/engine/imap/imap-account.js';
import { collect } from '../../src/main/engine/sync/copy-shared.js';
import { account } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { openClient, seed } from '../harness/mailbox.js';
import type { MessageMeta } from '../../src/main/engine/imap/imap-types.js';

const dovecot = inject('dovecot');

/** Headers made to differ in every way the ENVELOPE can carry them (encodings, quoting, literals, missing, groups). */
const HEADERS: string[] = [
  'From: Anna <anna@example.org>\r\nSubject: plain\r\nDate: Tue, 1 Jun 2021 10:00:00 +0200\r\nMessage-ID: <plain@example.org>',
  'From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <jm@example.org>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\nMessage-ID: <enc@example.org>',
  'From: =?ISO-8859-1?Q?Fran=E7ois?= <f@example.org>\r\nSubject: =?ISO-8859-1?B?Q2Fm6SBs4CBtb2Rl?=\r\nMessage-ID: <latin@example.org>',
  'From: Zoë Ωmega <zoe@example.org>\r\nSubject: Raw UTF-8 – ünïcødé ✓ 日本語\r\nMessage-ID: <raw-utf8@example.org>',
  'From: "Quote \\"Q\\" Person" <q@example.org>\r\nSubject: He said "hi" \\ and left \\\r\nMessage-ID: <quotes@example.org>',
  `From: long@example.org\r\nSubject: ${'very long subject '.repeat(150)}\r\nMessage-ID: <long@example.org>`,
  'X-Nothing: no subject, from, date or message-id',
  'From: undisclosed-recipients:;\r\nSubject: group only\r\nMessage-ID: <group@example.org>',
  'From: first@example.org, Second <second@example.org>\r\nSubject: two senders\r\nMessage-ID: <two@example.org>',
  'From: d@example.org\r\nSubject: bad date\r\nDate: not a date at all\r\nMessage-ID: <baddate@example.org>',
  'From: f@example.org\r\nSubject: folded\r\n  over two lines\r\nMessage-ID:\r\n   <folded@example.org>  ',
  'From: b@example.org\r\nSubject: ends {5}\r\nMessage-ID: <braces{3}@example.org>',
  'From: x@example.org\r\nSubject: =?UTF-8?B?broken base64?= and =?UNKNOWN?Q?x?=\r\nMessage-ID: <broken@example.org>',
];

describe('message facts read on the socket directly (imap/wire/fetch-meta.ts)', () => {
  it('are exactly what imapflow reads for the same messages, so a fingerprint never depends on the path', async () => {
    const user = addUser(dovecot, 'wire-meta');
    const raws = HEADERS.map((h, i) => Buffer.concat([Buffer.from(`${h}\r\n\r\nbody ${i}\r\n`, 'utf8')]));
    // One header with bytes that are not UTF-8 (latin1 "café").
    raws.push(Buffer.concat([Buffer.from('From: l@example.org\r\nSubject: caf'), Buffer.from([0xe9]), Buffer.from('\r\nMessage-ID: <latin1-raw@example.org>\r\n\r\nbody\r\n')]));
    await seed(
      dovecot,
      user,
      [],
      raws.map((raw, i) => ({ folder: 'INBOX', raw, flags: i % 3 === 0 ? ['\\Seen', '$Label1'] : i % 3 === 1 ? ['\\Flagged', 'Work'] : [], date: new Date(Date.UTC(2020, i % 12, 1 + i, 8, i)) })),
    );
    const reader = await connectReader(account(dovecot, user));
    try {
      await reader.examine('INBOX');
      const viaImapflow = await collect(reader.fetchMeta('1:*'));
      const viaWire = await reader.metaPage('1:*');
      expect(viaImapflow).toHaveLength(raws.length);
      expect(viaWire).toEqual(viaImapflow);
      // The values are the real ones, not both empty.
      expect(viaWire.map((m) => m.messageId)).toContain('<folded@example.org>');
      expect(viaWire.map((m) => m.subject)).toEqual(expect.arrayContaining(['Grüße aus Köln', 'Raw UTF-8 – ünïcødé ✓ 日本語', 'He said "hi" \\ and left \\']));
      expect(viaWire.find((m) => m.messageId === '<two@example.org>')?.from).toBe('first@example.org');
      expect(viaWire.every((m) => m.size > 0 && m.internalDate instanceof Date)).toBe(true);
      // A range that is partly gone, and one that is wholly gone.
      expect((await reader.metaPage(`${viaWire.at(-1)!.uid}:${viaWire.at(-1)!.uid + 100}`)).map((m) => m.uid)).toEqual([viaWire.at(-1)!.uid]);
      expect(await reader.metaPage(`${viaWire.at(-1)!.uid + 50}:${viaWire.at(-1)!.uid + 60}`)).toEqual([]);
      await expect(reader.metaPage('1:*) (BODY[]')).rejects.toThrow(RangeError);
    } finally {
      await reader.logout();
    }
  });

  it('a comparison reads the same facts on the socket as through imapflow, in UID ranges that leave nothing out', async () => {
    const user = addUser(dovecot, 'wire-compare');
    const raws = HEADERS.map((h, i) => Buffer.from(`${h}\r\n\r\nbody ${i}\r\n`, 'utf8'));
    raws.push(Buffer.concat([Buffer.from('From: l@example.org\r\nSubject: caf'), Buffer.from([0xe9]), Buffer.from('\r\nMessage-ID: <latin1-raw@example.org>\r\n\r\nbody\r\n')]));
    await seed(dovecot, user, [], raws.map((raw, i) => ({ folder: 'INBOX', raw, flags: i % 2 === 0 ? ['\\Seen', '$Label1'] : [] })));
    // Gaps in the UIDs: messages 2, 3 and 9 of 14 are gone.
    const client = await openClient(dovecot, user);
    try {
      await client.mailboxOpen('INBOX');
      await client.messageDelete('2,3,9', { uid: true });
    } finally {
      await client.logout();
    }
    const plain = (m: MessageMeta): object => ({ uid: m.uid, size: m.size, flags: [...m.flags], messageId: m.messageId, date: m.date, subject: m.subject, from: m.from });
    const reader = await connectReader(account(dovecot, user));
    try {
      const box = await reader.examine('INBOX');
      expect(box.exists).toBe(raws.length - 3);
      const viaImapflow = await collect(reader.fetchCompareFacts('1:*'));
      const viaWire = await reader.compareFactsPage('1:*');
      expect(viaWire.map(plain)).toEqual(viaImapflow.map(plain));
      expect(viaWire.map((m) => m.subject)).toEqual(expect.arrayContaining(['Raw UTF-8 – ünïcødé ✓ 日本語', 'He said "hi" \\ and left \\']));
      expect(viaWire.every((m) => m.size > 0)).toBe(true);

      // Any page size, exact multiples of the folder's count and pages larger than it included:
      // every message in exactly one range, in UID order, the last range open-ended.
      for (const per of [1, 2, 4, 5, 10, 11, 12]) {
        const ranges = await reader.uidRanges(box.exists, per);
        expect(ranges, `pages of ${per}`).toHaveLength(Math.ceil(box.exists / per));
        expect(ranges.at(-1)).toMatch(/:\*$/);
        const paged: MessageMeta[] = [];
        for (const range of ranges) paged.push(...(await reader.compareFactsPage(range)));
        expect(paged.map(plain), `pages of ${per}`).toEqual(viaImapflow.map(plain));
      }
      // "n:*" past the last UID names the last message (RFC 3501): not read a second time.
      const last = viaWire.at(-1)!.uid;
      expect(await reader.compareFactsPage(`${last + 1}:*`)).toEqual([]);
      await expect(reader.compareFactsPage('1,2')).rejects.toThrow(RangeError);
    } finally {
      await reader.logout();
    }
  });
});
