import { describeEndpoint, type ImapEndpoint } from '../../../shared/imap-endpoint.js';

type Named = Pick<ImapEndpoint, 'user' | 'host' | 'port'>;

/** The keys a mailbox pair is known by in the state database: "user@host:port" of each side. */
export function pairKeys(source: Named, target: Named): { sourceKey: string; targetKey: string } {
  // The security mode is not part of the name: the same mailbox over STARTTLS or TLS is one pair.
  return { sourceKey: describeEndpoint({ ...source, tls: 'implicit' }), targetKey: describeEndpoint({ ...target, tls: 'implicit' }) };
}
