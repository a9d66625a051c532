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
