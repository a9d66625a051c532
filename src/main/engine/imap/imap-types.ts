import type { FetchMessageObject } from 'imapflow';

export interface FolderListing {
  path: string;
  delimiter: string;
  flags: Set<string>;
  /** SPECIAL-USE attribute sent by the server (never a guess from the name). */
  specialUse: string | null;
  status: FolderStatus | null;
}

export interface FolderStatus {
  messages: number;
  uidNext: number;
  uidValidity: number;
  highestModseq: string | null;
}

export interface OpenedFolder {
  path: string;
  uidValidity: number;
  uidNext: number;
  exists: number;
  highestModseq: string | null;
  /** PERMANENTFLAGS of a folder opened read-write; `\*` means any keyword can be created. */
  permanentFlags: Set<string>;
}

export interface MessageMeta {
  uid: number;
  size: number;
  internalDate: Date | null;
  flags: Set<string>;
  messageId: string | null;
  subject: string;
  from: string;
  date: string | null;
}

/**
 * A message's bytes exactly as the server sent them, in the pieces they arrived in (views of the
 * socket's reads, see wire/response-reader.ts): joined only where something must read them whole.
 */
export interface RawMessage {
  uid: number;
  parts: readonly Buffer[];
  size: number;
}

/** A message to store: its bytes exactly as read (in pieces), the flags it gets with the APPEND, its INTERNALDATE. */
export interface MessageToAppend {
  parts: readonly Buffer[];
  size: number;
  flags: string[];
  internalDate: Date | null;
}

/** A message's facts from what imapflow's FETCH formatter gives (or the wire path gives the same way, wire/fetch-meta.ts). */
export function metaOf(msg: Pick<FetchMessageObject, 'uid' | 'size' | 'internalDate' | 'flags' | 'envelope'>): MessageMeta {
  const env = msg.envelope;
  const from = env?.from?.[0];
  const date = env?.date;
  return {
    uid: msg.uid,
    size: msg.size ?? 0,
    internalDate: msg.internalDate instanceof Date ? msg.internalDate : msg.internalDate ? new Date(msg.internalDate) : null,
    flags: msg.flags ?? new Set(),
    messageId: env?.messageId?.trim() || null,
    subject: env?.subject ?? '',
    from: from ? (from.address ?? from.name ?? '') : '',
    date: date instanceof Date ? (Number.isNaN(date.getTime()) ? null : date.toISOString()) : typeof date === 'string' ? date : null,
  };
}
