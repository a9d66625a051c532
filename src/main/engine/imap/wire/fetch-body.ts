import { fetchItems } from './fetch-items.js';
import type { WireResponse } from './response-reader.js';

/** The UID and body of one `* n FETCH (…)` response, the body as the pieces it arrived in. */
export interface FetchedBody {
  uid: number;
  /** Null when the server sent NIL for the body (the message is gone). */
  body: Buffer[] | null;
}

/**
 * The UID and the body section of a FETCH response, or null when the response is not a FETCH or
 * carries no body (e.g. an unsolicited flag update). The item order is the server's choice (some
 * send UID after the body); the body may come as a literal, a quoted string or NIL. Anything else
 * in the response (FLAGS, MODSEQ, …) is skipped.
 */
export function fetchedBody(response: WireResponse): FetchedBody | null {
  const items = fetchItems(response);
  if (!items) return null;
  const uid = items.get('UID');
  if (!uid || Array.isArray(uid) || uid.type !== 'ATOM' || !/^\d+$/.test(uid.value)) return null;
  for (const [name, value] of items) {
    if (!name.startsWith('BODY[') && !name.startsWith('BINARY[')) continue;
    if (value === null) return { uid: Number(uid.value), body: null };
    if (Array.isArray(value)) return null;
    if (value.type === 'LITERAL') return { uid: Number(uid.value), body: value.parts };
    return { uid: Number(uid.value), body: [Buffer.from(value.raw, 'latin1')] };
  }
  return null;
}
