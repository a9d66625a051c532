import { getStringList, MAX_UINT32_DIGITS, parseEnvelope, parseUintValue } from 'imapflow/lib/tools.js';
import type { FetchMessageObject } from 'imapflow';
import { COMPARE_HEADERS, HeaderFacts } from '../header-facts.js';
import { metaOf, type MessageMeta } from '../imap-types.js';
import { fetchItems, type ItemValue } from './fetch-items.js';
import type { WireResponse } from './response-reader.js';

/** What a copy reads of each message besides its body: the same items imapflow's fetchMeta asks for. */
export const META_ITEMS = '(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)';

/** ENVELOPE fields a copy uses: date, subject, from, message-id (RFC 3501 order). */
const USED_ENVELOPE_FIELDS = new Set([0, 1, 2, 9]);

type Facts = Pick<FetchMessageObject, 'uid' | 'size' | 'internalDate' | 'flags' | 'envelope'>;

/**
 * The facts of a copy's metadata page (`UID FETCH … (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)`),
 * exactly as MailboxConnection.fetchMeta gets them through imapflow: the values are shaped as
 * imapflow's parser shapes them (fetch-items.ts) and read as its formatMessageResponse reads them,
 * with its own functions (getStringList for FLAGS, parseUintValue, parseEnvelope), then `metaOf`.
 * The fingerprint of a message (Message-ID, size, INTERNALDATE) must not depend on which path read
 * it; test/engine/wire-meta.test.ts and test/unit/wire-meta-vs-imapflow.test.ts compare the two. Only the ENVELOPE
 * fields a copy uses are handed to parseEnvelope (date, subject, from, message-id): decoding every
 * recipient's name was most of its time.
 *
 * One difference, on purpose: a server may send one message's items in several FETCH responses (or
 * an unsolicited flag update in between); imapflow makes an entry of each, here they are merged by
 * UID (a later item replaces an earlier one; an ENVELOPE only by a list), so a message is never
 * listed twice nor read without its size and envelope when they did come.
 */
export class MetaCollector {
  /** Per UID, the facts read so far (formatted at once, so a page holds facts, not parsed responses). */
  private readonly byUid = new Map<number, Facts>();

  add(response: WireResponse): void {
    const fetched = fetchOf(response);
    if (!fetched) return;
    const { uid, items } = fetched;
    let facts = this.byUid.get(uid);
    if (!facts) this.byUid.set(uid, (facts = { uid }));
    // As imapflow's formatMessageResponse reads each item.
    if (items.has('RFC822.SIZE')) facts.size = sizeOf(items);
    if (items.has('FLAGS')) facts.flags = flagsOf(items);
    if (items.has('INTERNALDATE')) {
      // NIL reads as false, which is 1970-01-01; what is not a date is kept as text.
      const value = getString(items.get('INTERNALDATE'));
      const date = new Date(value as string);
      facts.internalDate = date.toString() === 'Invalid Date' ? (value as string) : date;
    }
    const envelope = items.get('ENVELOPE');
    if (Array.isArray(envelope)) {
      const used = envelope.map((field, i) => (USED_ENVELOPE_FIELDS.has(i) ? field : null));
      facts.envelope = parseEnvelope(used as Parameters<typeof parseEnvelope>[0]);
    }
  }

  /** Every message read, in the order the server first named it. */
  metas(): MessageMeta[] {
    return [...this.byUid.values()].map((facts) => metaOf(facts));
  }
}

/** What a comparison reads of each message: the items MailboxConnection.fetchCompareFacts asks imapflow for. */
export const COMPARE_ITEMS = `(UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (${COMPARE_HEADERS.map((h) => h.toUpperCase()).join(' ')})])`;

const HEADER_SECTION = /^(BODY|BINARY)\[HEADER/;

/**
 * The facts of a comparison's page (`UID FETCH … COMPARE_ITEMS`) as fetchCompareFacts gets them
 * through imapflow: UID, RFC822.SIZE and FLAGS read with imapflow's own functions, the header lines
 * from whatever `BODY[HEADER…]` item the server answers with (imapflow files every one as
 * `headers`), a quoted string's bytes as imapflow restores them (UTF-8). Items of one message in
 * several responses are merged by UID, as in MetaCollector.
 */
export class CompareFactsCollector {
  private readonly byUid = new Map<number, { size?: number; flags?: Set<string>; headers?: Buffer }>();

  add(response: WireResponse): void {
    const fetched = fetchOf(response);
    if (!fetched) return;
    const { uid, items } = fetched;
    let facts = this.byUid.get(uid);
    if (!facts) this.byUid.set(uid, (facts = {}));
    if (items.has('RFC822.SIZE')) facts.size = sizeOf(items);
    if (items.has('FLAGS')) facts.flags = flagsOf(items);
    for (const [name, value] of items) {
      if (!HEADER_SECTION.test(name) || !value || Array.isArray(value)) continue;
      // A copy (a few hundred bytes): a view would keep the socket's whole read alive until the page is done.
      facts.headers = value.type === 'LITERAL' ? Buffer.copyBytesFrom(value.value) : Buffer.from(value.value);
    }
  }

  /** Every message read, in the order the server first named it. */
  facts(): HeaderFacts[] {
    return [...this.byUid].map(([uid, f]) => new HeaderFacts(uid, f.size ?? 0, f.flags ?? new Set(), f.headers));
  }
}

/** What planning a copy reads of every message: UID and size. */
export const SIZE_ITEMS = '(UID RFC822.SIZE)';

/**
 * UID → RFC822.SIZE of a `UID FETCH … (UID RFC822.SIZE)`, read as imapflow reads them (parseUintValue;
 * a size it cannot read is 0, as MailboxConnection.sizesOf's imapflow path makes it). A message answered twice
 * is one entry, the later size.
 */
export class SizesCollector {
  readonly sizes = new Map<number, number>();

  add(response: WireResponse): void {
    const fetched = fetchOf(response);
    if (!fetched) return;
    const { uid, items } = fetched;
    if (items.has('RFC822.SIZE') || !this.sizes.has(uid)) this.sizes.set(uid, sizeOf(items));
  }
}

/** A FETCH response's items and its UID as imapflow reads it; null when it is not a FETCH or names no UID. */
function fetchOf(response: WireResponse): { uid: number; items: Map<string, ItemValue> } | null {
  const items = fetchItems(response);
  if (!items) return null;
  const uid = parseUintValue(getString(items.get('UID')), MAX_UINT32_DIGITS);
  return uid ? { uid, items } : null;
}

/** RFC822.SIZE as imapflow's formatMessageResponse reads it: 0 when it cannot. */
function sizeOf(items: Map<string, ItemValue>): number {
  return parseUintValue(getString(items.get('RFC822.SIZE'))) || 0;
}

/** FLAGS as imapflow's formatMessageResponse reads them. */
function flagsOf(items: Map<string, ItemValue>): Set<string> {
  return new Set(getStringList(items.get('FLAGS')));
}

/** imapflow's getString in formatMessageResponse: false for NIL, the text of a string or literal (UTF-8), nothing for a list. */
function getString(value: ItemValue | undefined): string | false | undefined {
  if (!value) return false;
  if (Array.isArray(value)) return undefined;
  return typeof value.value === 'string' ? value.value : value.value.toString();
}
