import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import { ImapSession, type ImapCredentials } from './imap-session.js';

/** An account to connect to: where, and how to get credentials at connect time. */
export interface ImapAccount {
  endpoint: ImapEndpoint;
  /** Called before every (re)connect so that short-lived OAuth tokens can be renewed. */
  credentials: () => Promise<ImapCredentials>;
  caFile?: string;
}

export async function connectAccount(account: ImapAccount, role: 'source' | 'target'): Promise<ImapSession> {
  return ImapSession.connect(account.endpoint, await account.credentials(), { role, ...(account.caFile ? { caFile: account.caFile } : {}) });
}

/**
 * Connects to both sides at once. If either fails, the other is closed again (a half-open pair
 * would keep the process alive) and the first failure is thrown.
 */
export async function connectPair(source: ImapAccount, target: ImapAccount): Promise<{ source: ImapSession; target: ImapSession }> {
  const [s, t] = await Promise.allSettled([connectAccount(source, 'source'), connectAccount(target, 'target')]);
  if (s.status === 'fulfilled' && t.status === 'fulfilled') return { source: s.value, target: t.value };
  if (s.status === 'fulfilled') s.value.close();
  if (t.status === 'fulfilled') t.value.close();
  throw s.status === 'rejected' ? s.reason : (t as PromiseRejectedResult).reason;
}
