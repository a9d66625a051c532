import { describeEndpoint } from '../../../shared/imap-endpoint.js';
import type { ImapAccount } from '../imap/imap-account.js';

/** The keys a mailbox pair is known by in the state database: "user@host:port" of each side. */
export function pairKeys(source: Pick<ImapAccount, 'endpoint'>, target: Pick<ImapAccount, 'endpoint'>): { sourceKey: string; targetKey: string } {
  return { sourceKey: describeEndpoint(source.endpoint), targetKey: describeEndpoint(target.endpoint) };
}
