import { getStringList, MAX_UINT32_DIGITS, parseEnvelope, parseUintValue } from 'imapflow/lib/tools.js';
import type { FetchMessageObject } from 'imapflow';
import { metaOf, type MessageMeta } from '../imap-types.js';
import { fetchItems, type ItemValue } from './fetch-items.js';
import type { WireResponse } from './response-reader.js';

/** What a copy reads of each message besides its body: the same items imapflow's fetchMeta asks for. */
export const META_ITEMS = '(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)';

/**
 * The facts of one `* n FETCH (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)` response, exactly as
 * MailboxConnection.fetchMeta gets them through imapflow: the values are shaped as imapflow's parser
 * shapes them (fetch-items.ts) and read with imapflow's own functions (getStringList for FLAGS,
 * parseUintValue, parseEnvelope), then `metaOf`. The fingerprint of a message (Message-ID, size,
 * INTERNALDATE) must not depend on which path read it; test/engine/wire-meta.test.ts compares the
 * two on messages made to differ. Only the ENVELOPE fields a copy uses are handed to parseEnvelope
 * (date, subject, from, message-id): decoding every recipient's name was most of its time. Null when
 * the response is not an answer to META_ITEMS (not a FETCH, no UID, or an unsolicited flag update
 * without the size and envelope asked for).
 */
export function fetchedMeta(response: WireResponse): MessageMeta | null {
  const items = fetchItems(response);
  if (!items) return null;
  const uid = parseUintValue(stringOf(items.get('UID')), MAX_UINT32_DIGITS);
  if (!uid || !items.has('RFC822.SIZE') || !items.has('ENVELOPE')) return null;
  const msg: Pick<FetchMessageObject, 'uid' | 'size' | 'internalDate' | 'flags' | 'envelope'> = { uid };
  if (items.has('RFC822.SIZE')) msg.size = parseUintValue(stringOf(items.get('RFC822.SIZE'))) || 0;
  if (items.has('FLAGS')) msg.flags = new Set(getStringList(items.get('FLAGS')));
  if (items.has('INTERNALDATE')) {
    const value = stringOf(items.get('INTERNALDATE'));
    if (value !== undefined) {
      const date = new Date(value);
      msg.internalDate = date.toString() === 'Invalid Date' ? value : date;
    }
  }
  const envelope = items.get('ENVELOPE');
  if (Array.isArray(envelope)) {
    const used = envelope.map((field, i) => (i === 0 || i === 1 || i === 2 || i === 9 ? field : null));
    msg.envelope = parseEnvelope(used as Parameters<typeof parseEnvelope>[0]);
  }
  return metaOf(msg);
}

/** A value's text as imapflow's getString reads it (a literal decoded as UTF-8). */
function stringOf(value: ItemValue | undefined): string | undefined {
  if (!value || Array.isArray(value)) return undefined;
  return typeof value.value === 'string' ? value.value : value.value.toString();
}
