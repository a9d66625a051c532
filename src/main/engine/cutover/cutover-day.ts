import type { DnsCheckOptions, DnsReport, SmtpCheckOptions, SmtpCheckResult } from '../../../shared/cutover-day-types.js';
import { CutoverError } from '../../../shared/errors.js';
import type { M365Auth } from '../auth/m365-auth.js';
import type { GraphClient } from '../graph/graph-client.js';
import { checkDns } from './check-dns.js';
import { dnsSetup, parseDnsServer, type DnsOverride } from './dns-server-address.js';
import { checkSmtp } from './smtp-check.js';

/** The stored Microsoft 365 sign-in, when there is one (the DNS check works without it). */
export type M365Session = { auth: M365Auth; graph: GraphClient } | null;

/**
 * The DNS check as every host calls it: this computer's resolvers (or the host's replacements), the
 * domain's name servers, the servers the user names, and Microsoft 365's expected MX when the
 * signed-in account may read it.
 */
export async function dnsCheck(domain: string, options: DnsCheckOptions, m365: M365Session, override: DnsOverride = {}): Promise<DnsReport> {
  const setup = dnsSetup(override);
  return checkDns({ domain, expectMx: options.expectMx, resolvers: options.resolvers.map(parseDnsServer), system: setup.system, nameServerPort: setup.nameServerPort, graph: m365?.graph ?? null });
}

/**
 * The SMTP AUTH check as every host calls it. With OAuth, the token comes from the stored sign-in,
 * which must be the mailbox being checked (a token for another account would only be refused).
 */
export async function smtpCheck(options: SmtpCheckOptions, m365: M365Session, extra: { caFile?: string; signal?: AbortSignal } = {}): Promise<SmtpCheckResult> {
  const base = { host: options.host, port: options.port, user: options.user, ...extra };
  if (options.auth.kind === 'password') return checkSmtp({ ...base, credentials: { kind: 'password', password: options.auth.password } });
  const signedIn = m365 ? await m365.auth.signedIn() : null;
  if (!m365 || !signedIn) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365, so there is no token for SMTP AUTH.', retryable: false });
  if (signedIn.username.toLowerCase() !== options.user.toLowerCase()) {
    throw new CutoverError({ code: 'account-mismatch', message: `The Microsoft 365 sign-in is ${signedIn.username}, not ${options.user}; its token can only sign in as ${signedIn.username}.`, retryable: false });
  }
  const auth = m365.auth;
  return checkSmtp({ ...base, credentials: { kind: 'oauth', token: (force) => auth.smtpToken(force) } });
}
