import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { ImapCredentials } from './imap-connection.js';
import { SourceReader } from './source-reader.js';
import { TargetWriter } from './target-writer.js';

/** An account to connect to: where, and how to get credentials at connect time. */
export interface ImapAccount {
  endpoint: ImapEndpoint;
  /** Called before every (re)connect so that short-lived OAuth tokens can be renewed. */
  credentials: () => Promise<ImapCredentials>;
  caFile?: string;
}

/** A connection that can only read; `role` says which mailbox it is in error messages. */
export async function connectReader(account: ImapAccount, role: 'source' | 'target' = 'source'): Promise<SourceReader> {
  return SourceReader.connect(account.endpoint, await account.credentials(), { role, ...(account.caFile ? { caFile: account.caFile } : {}) });
}

/** A connection to the new mailbox that may write. */
export async function connectWriter(account: ImapAccount): Promise<TargetWriter> {
  return TargetWriter.connect(account.endpoint, await account.credentials(), account.caFile ? { caFile: account.caFile } : {});
}

/** The two connections of a copy: the source only read, the target written. */
export function connectPair(source: ImapAccount, target: ImapAccount): Promise<{ source: SourceReader; target: TargetWriter }> {
  return both(connectReader(source, 'source'), connectWriter(target));
}

/** Both mailboxes only read (a comparison, a preview). */
export function connectReaders(source: ImapAccount, target: ImapAccount): Promise<{ source: SourceReader; target: SourceReader }> {
  return both(connectReader(source, 'source'), connectReader(target, 'target'));
}

/**
 * Connects to both sides at once. If either fails, the other is closed again (a half-open pair
 * would keep the process alive) and the first failure is thrown.
 */
async function both<S extends { close(): void }, T extends { close(): void }>(source: Promise<S>, target: Promise<T>): Promise<{ source: S; target: T }> {
  const [s, t] = await Promise.allSettled([source, target]);
  if (s.status === 'fulfilled' && t.status === 'fulfilled') return { source: s.value, target: t.value };
  if (s.status === 'fulfilled') s.value.close();
  if (t.status === 'fulfilled') t.value.close();
  throw s.status === 'rejected' ? s.reason : (t as PromiseRejectedResult).reason;
}
