import { createHash } from 'node:crypto';

export interface FingerprintInput {
  messageId: string | null;
  size: number;
  internalDate: Date | number | null;
  date: string | null;
  from: string;
  subject: string;
}

/**
 * How a message is recognised on the other side without comparing bytes.
 * `exact` (IMAP → IMAP, bytes kept): Message-ID + size + INTERNALDATE, so two different messages
 * sharing one Message-ID stay apart. `reencoding` (Exchange re-encodes, sizes change):
 * Message-ID + INTERNALDATE only. Without a Message-ID, a hash of Date/From/Subject stands in.
 */
export type MatchMode = 'exact' | 'reencoding';

export function fingerprint(m: FingerprintInput, mode: MatchMode): string {
  const when = m.internalDate === null ? '' : String(Math.floor((typeof m.internalDate === 'number' ? m.internalDate : m.internalDate.getTime()) / 1000));
  const id = m.messageId ? `mid:${m.messageId.trim()}` : `hdr:${headerHash(m)}`;
  return mode === 'exact' ? `${id}|${m.size}|${when}` : `${id}|${when}`;
}

/**
 * A key that does not depend on INTERNALDATE, for comparing mailboxes Cutover never synced.
 * With `includeSize` false (a target that re-encodes, like Exchange) sizes are never used.
 */
export function compareKey(m: FingerprintInput, includeSize: boolean): string {
  const id = m.messageId ? `mid:${m.messageId.trim()}` : `hdr:${headerHash(m)}`;
  return includeSize ? `${id}|${m.size}` : id;
}

function headerHash(m: FingerprintInput): string {
  return createHash('sha256').update(`${m.date ?? ''}\n${m.from}\n${m.subject}`).digest('base64url').slice(0, 22);
}
