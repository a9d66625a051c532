import { createHash } from 'node:crypto';

/**
 * Cutover's own namespace for the MAPI named properties it stamps on every contact and event it
 * creates, so reruns recognise them and undo finds exactly them (and nothing the user made).
 */
export const CUTOVER_PROPERTY_SET = '{6d1b4a6c-3c1e-4c59-9a3e-2f0b7d2e8c41}';
export const SOURCE_ID_PROPERTY = `String ${CUTOVER_PROPERTY_SET} Name CutoverSourceId`;
export const ATTENDEES_PROPERTY = `String ${CUTOVER_PROPERTY_SET} Name CutoverAttendees`;

/** The identity of a source item: where it came from plus its UID (or a content hash without one). */
export function sourceKey(origin: string, uid: string): string {
  return `${origin}#${uid}`;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** RFC 4122 version-5 UUID (SHA-1, URL namespace): a stable transactionId for an event. */
export function uuidV5(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const hash = createHash('sha1').update(Buffer.concat([namespace, Buffer.from(name, 'utf8')])).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
