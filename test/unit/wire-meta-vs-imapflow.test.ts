import { ImapStream } from 'imapflow/lib/handler/imap-stream.js';
import parser from 'imapflow/lib/handler/imap-parser.js';
import { formatMessageResponse } from 'imapflow/lib/tools.js';
import type { MailboxObject } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { metaOf, type MessageMeta } from '../../src/main/engine/imap/imap-types.js';
import { MetaCollector, SizesCollector } from '../../src/main/engine/imap/wire/fetch-meta.js';
import { ResponseReader } from '../../src/main/engine/imap/wire/response-reader.js';

/** The same bytes through imapflow's own reader, parser and formatter, then metaOf: what fetchMeta gives. */
async function viaImapflow(raw: Buffer): Promise<MessageMeta[]> {
  const stream = new ImapStream({});
  /** What ImapStream emits per response (its declared types describe only its input). */
  interface Emitted {
    payload: Buffer;
    literals: Buffer[];
    next: () => void;
  }
  const items: Emitted[] = [];
  stream.on('data', (d: Emitted) => {
    items.push(d);
    d.next();
  });
  stream.write(raw);
  await new Promise((r) => setTimeout(r, 5));
  const out: MessageMeta[] = [];
  for (const d of items) {
    const parsed = await parser(d.payload, { literals: d.literals });
    out.push(metaOf(await formatMessageResponse(parsed, { path: 'INBOX' } as MailboxObject)));
  }
  return out;
}

function viaWire(raw: Buffer): MessageMeta[] {
  const page = new MetaCollector();
  const reader = new ResponseReader({ maxLineBytes: 1e8, maxLiteralBytes: 1e8, maxLiterals: 1000, maxResponseBytes: 2e8 }, (r) => {
    page.add(r);
    return 'continue';
  });
  reader.push(raw);
  return page.metas();
}

const ENV = '("Tue, 1 Jun 2021 10:00:00 +0200" "subj" (("Anna" NIL "anna" "example.org")) NIL NIL (("To" NIL "to" "example.org")) NIL NIL NIL "<id@x>")';
const fetch = (items: string): Buffer => Buffer.from(`* 1 FETCH (${items})\r\n`, 'latin1');
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** Responses a server may send, each one message, made to differ in every way the two readers could. */
const CASES: [string, Buffer][] = [
  ['plain', fetch(`UID 5 FLAGS (\\Seen) RFC822.SIZE 100 INTERNALDATE "01-Jun-2021 10:00:00 +0200" ENVELOPE ${ENV}`)],
  ['UID after the envelope, lower-case names', fetch(`flags () envelope ${ENV} rfc822.size 7 internaldate "01-Jun-2021 10:00:00 +0200" uid 6`)],
  ['a keyword with "["', fetch(`UID 5 FLAGS (\\Seen $a[b) RFC822.SIZE 100 INTERNALDATE "01-Jun-2021 10:00:00 +0200" ENVELOPE ${ENV}`)],
  ['keywords with "[" and "]"', fetch(`UID 5 FLAGS ($a[b c] \\Seen) RFC822.SIZE 100 INTERNALDATE "01-Jun-2021 10:00:00 +0200" ENVELOPE ${ENV}`)],
  ['flags without a space', fetch(`UID 5 FLAGS (\\Seen\\Flagged $x) RFC822.SIZE 100 INTERNALDATE "01-Jun-2021 10:00:00 +0200" ENVELOPE ${ENV}`)],
  ['INTERNALDATE NIL', fetch(`UID 5 FLAGS () RFC822.SIZE 100 INTERNALDATE NIL ENVELOPE ${ENV}`)],
  ['INTERNALDATE not a date', fetch(`UID 5 FLAGS () RFC822.SIZE 100 INTERNALDATE "yesterday" ENVELOPE ${ENV}`)],
  ['size zero-padded, huge, NIL', fetch(`UID 5 RFC822.SIZE 00042 INTERNALDATE "01-Jun-2021 10:00:00 +0200" ENVELOPE ${ENV}`)],
  ['size NIL', fetch(`UID 5 RFC822.SIZE NIL ENVELOPE ${ENV}`)],
  ['leading NUL bytes', Buffer.concat([Buffer.from([0, 0]), fetch(`UID 5 RFC822.SIZE 100 ENVELOPE ${ENV}`)])],
  [
    'literals in the envelope (8-bit subject, a name, {0})',
    Buffer.concat([
      Buffer.from(`* 1 FETCH (UID 5 RFC822.SIZE 100 ENVELOPE ("Tue, 1 Jun 2021 10:00:00 +0200" {${Buffer.byteLength('Grüße ✓')}}\r\n`, 'latin1'),
      Buffer.from('Grüße ✓', 'utf8'),
      Buffer.from(' (({0}\r\n NIL "anna" "example.org")) NIL NIL NIL NIL NIL NIL {6}\r\n<id@x>))\r\n', 'latin1'),
    ]),
  ],
  ['escapes in quoted strings', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE (NIL "He said \\"hi\\" \\\\ left \\\\" (("Q \\"P\\"" NIL "q" "example.org")) NIL NIL NIL NIL NIL NIL " <sp@x> ")`)],
  ['raw UTF-8 in quoted strings', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE (NIL "${utf8('Zoë – 日本語')}" (("${utf8('Zoë')}" NIL "z" "example.org")) NIL NIL NIL NIL NIL NIL "<u@x>")`)],
  ['bytes that are not UTF-8', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE (NIL "caf\xe9 \xc3" NIL NIL NIL NIL NIL NIL NIL "<l\xe9@x>")`)],
  ['encoded words', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE (NIL "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= =?ISO-8859-1?B?Q2Fm6Q==?=" (("=?UTF-8?B?SsO8cmdlbg==?=" NIL "j" "example.org")) NIL NIL NIL NIL NIL NIL "<e@x>")`)],
  ['nil in lower case, "NIL" quoted, empty strings', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE (nil "NIL" (("" nil "x" "example.org")) NIL NIL NIL NIL NIL NIL "")`)],
  ['a group as sender', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE (NIL "g" ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL NIL NIL "<g@x>")`)],
  ['no envelope fields at all', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)`)],
  ['a date that is not one', fetch(`UID 5 RFC822.SIZE 1 ENVELOPE ("not a date" "s" NIL NIL NIL NIL NIL NIL NIL "<d@x>")`)],
];

describe('message facts read on the socket directly are what imapflow reads from the same bytes', () => {
  it.each(CASES)('%s', async (_name, raw) => {
    const expected = await viaImapflow(raw);
    expect(expected).toHaveLength(1);
    expect(viaWire(raw)).toEqual(expected);
  });

  it('one message in two FETCH responses (or a flag update in between) is one message, with everything that came', async () => {
    const raw = Buffer.concat([fetch(`UID 5 RFC822.SIZE 100 INTERNALDATE "01-Jun-2021 10:00:00 +0200" ENVELOPE ${ENV}`), fetch('UID 5 FLAGS (\\Seen)'), fetch('FLAGS (\\Deleted)')]);
    const [whole] = await viaImapflow(fetch(`UID 5 FLAGS (\\Seen) RFC822.SIZE 100 INTERNALDATE "01-Jun-2021 10:00:00 +0200" ENVELOPE ${ENV}`));
    // imapflow makes an entry of each response (a second one for UID 5 without size or Message-ID).
    expect((await viaImapflow(raw)).filter((m) => m.uid === 5)).toHaveLength(2);
    expect(viaWire(raw)).toEqual([whole]);
  });

  it.each(CASES)('sizes: %s', async (_name, raw) => {
    // What sizesOf's imapflow path keeps of the same bytes: UID and size (0 when unreadable).
    const expected = (await viaImapflow(raw)).filter((m) => m.uid > 0).map((m) => [m.uid, m.size]);
    const sizes = new SizesCollector();
    const reader = new ResponseReader({ maxLineBytes: 1e8, maxLiteralBytes: 1e8, maxLiterals: 1000, maxResponseBytes: 2e8 }, (r) => {
      sizes.add(r);
      return 'continue';
    });
    reader.push(raw);
    expect([...sizes.sizes]).toEqual(expected);
  });

  it('sizes: a flag update after the answer, or a response without UID, changes no size', () => {
    const sizes = new SizesCollector();
    const reader = new ResponseReader({ maxLineBytes: 1e8, maxLiteralBytes: 1e8, maxLiterals: 1000, maxResponseBytes: 2e8 }, (r) => {
      sizes.add(r);
      return 'continue';
    });
    reader.push(Buffer.concat([fetch('UID 5 RFC822.SIZE 100'), fetch('UID 5 FLAGS (\\Seen)'), fetch('FLAGS (\\Deleted)'), fetch('UID 0 RFC822.SIZE 9'), fetch('UID 6 RFC822.SIZE 7')]));
    expect([...sizes.sizes]).toEqual([
      [5, 100],
      [6, 7],
    ]);
  });
});
