import { createHash } from 'node:crypto';
import { v5 } from 'uuid';

/**
 * Cutover's own namespace for the MAPI named properties it stamps on every contact and event it
 * creates, so reruns recognise them and undo finds exactly them (and nothing the user made).
 */
export const CUTOVER_PROPERTY_SET = '{6d1b4a6c-3c1e-4c59-9a3e-2f0b7d2e8c41}';
export const SOURCE_ID_PROPERTY = `String ${CUTOVER_PROPERTY_SET} Name CutoverSourceId`;
/** The hash of an item's normalized content, so a re-export under a new UID is recognised. */
export const CONTENT_KEY_PROPERTY = `String ${CUTOVER_PROPERTY_SET} Name CutoverContentKey`;
export const ATTENDEES_PROPERTY = `String ${CUTOVER_PROPERTY_SET} Name CutoverAttendees`;

export type SourceKind = 'contact' | 'event';

/** UIDs longer than this are stored by their hash (an extended property value is not a dump). */
const MAX_UID_IN_KEY = 512;

/**
 * The identity of a source item, independent of the file it came in and of where that file lies:
 * kind + UID (+ the occurrence, for one occurrence of a series kept as its own event), or, for an
 * item without a UID, the hash of its normalized content. A newer export of the same address book
 * or calendar, under any file name, yields the same keys; nothing about the user's computer is
 * written into their mailbox.
 */
export function sourceKey(kind: SourceKind, uid: string | null, contentKey: string, occurrence?: string | null): string {
  const base = uid ? `${kind}:uid:${uid.length > MAX_UID_IN_KEY ? `sha256:${contentHash(uid)}` : uid}` : `${kind}:content:${contentKey}`;
  return occurrence ? `${base}@${occurrence}` : base;
}

export function contentHash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/**
 * The hash of normalized content: the values as a list of [field, value] pairs, in a fixed order,
 * without anything an exporter changes on every export (UID, revision, time stamps).
 */
export function contentKeyOf(fields: readonly (readonly [string, unknown])[]): string {
  return contentHash(JSON.stringify(fields.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))));
}

/**
 * RFC 4122 version-5 UUID (SHA-1, URL namespace), by the uuid package: a stable transactionId for an
 * event. The namespace must never change: every transactionId sent so far was made with it.
 */
export function uuidV5(name: string): string {
  return v5(name, v5.URL);
}

/** What the copy step knows about an item Cutover created earlier (from the target's extended properties). */
export interface OwnedItem {
  key: string;
  contentKey: string | null;
  id: string;
}

/**
 * For planned items whose key is not on the target: the earlier copy of the same content, created
 * from an export where the item had another UID (or, from Cutover before issue 10, a key that
 * included the file path). Each earlier copy is claimed at most once, and never one whose key is
 * still planned (that one is the same item and is updated in place). Returns planned key → owned item.
 */
export function matchReexported(planned: readonly { key: string; contentKey: string }[], owned: readonly OwnedItem[]): Map<string, OwnedItem> {
  const plannedKeys = new Set(planned.map((p) => p.key));
  const free = new Map<string, OwnedItem[]>();
  for (const o of owned) {
    if (plannedKeys.has(o.key)) continue;
    const legacy = legacyUidPart(o.key);
    for (const token of [o.contentKey ? `content:${o.contentKey}` : null, legacy !== null ? `legacy:${legacy}` : null]) {
      if (!token) continue;
      const list = free.get(token) ?? [];
      list.push(o);
      free.set(token, list);
    }
  }
  const ownedKeys = new Set(owned.map((o) => o.key));
  const claimed = new Set<string>();
  const out = new Map<string, OwnedItem>();
  for (const p of planned) {
    if (ownedKeys.has(p.key)) continue;
    const uidPart = /^(?:contact|event):uid:(.*)$/s.exec(p.key)?.[1];
    const candidates = [...(free.get(`content:${p.contentKey}`) ?? []), ...(uidPart !== undefined ? (free.get(`legacy:${withoutUrn(uidPart)}`) ?? []) : [])];
    const match = candidates.find((c) => !claimed.has(c.id));
    if (match) {
      claimed.add(match.id);
      out.set(p.key, match);
    }
  }
  return out;
}

/**
 * Keys written before issue 10 were "<path>#<uid>" (or "<path>#<uid>@<occurrence>", with the UID's
 * "urn:uuid:" removed); the same item's key today is "contact:uid:<uid>" / "event:uid:<uid>@…".
 * Returns the part after the path, so an item copied by an older Cutover is updated, not duplicated.
 */
function legacyUidPart(key: string): string | null {
  if (/^(contact|event):(uid|content):/.test(key)) return null;
  const hash = key.lastIndexOf('#');
  if (hash < 0) return null;
  const uid = key.slice(hash + 1);
  // Items without a UID were keyed by a hash of the file's text: nothing to match them by.
  if (!uid || uid.startsWith('sha-') || uid.startsWith('event-')) return null;
  return withoutUrn(uid);
}

function withoutUrn(uid: string): string {
  return uid.replace(/^urn:uuid:/i, '');
}
