import { EXCHANGE_SMTP, type DnsCheckOptions, type DnsReport, type SmtpCheckOptions, type SmtpCheckResult } from '../../../shared/cutover-day-types.js';
import { CutoverError, isCutoverError } from '../../../shared/errors.js';
import { isLoopbackHost } from '../../../shared/imap-endpoint.js';
import type { ConsentRound, M365Auth } from '../auth/m365-auth.js';
import { GraphClient } from '../graph/graph-client.js';
import { checkDns } from './check-dns.js';
import { dnsSetup, parseDnsServer, type DnsOverrides } from './dns-server-address.js';
import { expectedMxFromGraph, type ExpectedMx } from './expected-mx.js';
import { checkSmtp } from './smtp-check.js';

/** The stored Microsoft 365 sign-in, when there is one (the DNS check works without it). */
export type M365Session = { auth: M365Auth; graph: GraphClient } | null;

/** What the host brings to a cutover-day check: how the user grants a missing permission, and cancelling. */
export interface CutoverDayHost {
  /** How the user consents to a permission Cutover has no consent for yet; null: the host cannot ask. */
  consent?: ConsentRound | null;
  signal?: AbortSignal;
}

/**
 * The DNS check as every host calls it: this computer's resolvers (or the host's replacements), the
 * domain's name servers, the servers the user names, and Microsoft 365's expected MX when the
 * signed-in account may read it. Reading it takes Domain.Read.All, which no sign-in asks for: it is
 * asked for here, on its own and only when the user gave no expected MX; only an administrator may
 * grant it, so a refusal is an expected answer (a warning, and the user pastes the MX).
 */
export async function dnsCheck(domain: string, options: DnsCheckOptions, m365: M365Session, host: CutoverDayHost & { dns?: DnsOverrides } = {}): Promise<DnsReport> {
  const setup = dnsSetup(host.dns);
  return checkDns({
    domain,
    expectMx: options.expectMx,
    resolvers: options.resolvers.map(parseDnsServer),
    system: setup.system,
    nameServerPort: setup.nameServerPort,
    readExpectedMx: m365 ? (name) => expectedMxWithConsent(m365, name, host) : null,
  });
}

async function expectedMxWithConsent({ auth, graph: signedIn }: { auth: M365Auth; graph: GraphClient }, domain: string, host: CutoverDayHost): Promise<ExpectedMx> {
  try {
    await auth.tokenWithConsent('domains', host.consent ?? null, host.signal);
  } catch (err) {
    if (host.signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The DNS check was cancelled.', retryable: false });
    const code = isCutoverError(err) ? err.code : null;
    if (code === 'consent-required' || code === 'admin-consent-required' || code === 'user-cancelled') return { found: false, reason: 'no-consent' };
    if (code === 'not-signed-in' || code === 'sign-in-required') return { found: false, reason: code };
    return { found: false, reason: 'unreachable' };
  }
  const graph = new GraphClient({ baseUrl: signedIn.baseUrl, getToken: async (force) => (await auth.token('domains', force)).accessToken });
  return expectedMxFromGraph(graph, domain);
}

/**
 * The SMTP AUTH check as every host calls it. With OAuth, the token comes from the stored sign-in,
 * which must be the mailbox being checked (a token for another account would only be refused), and
 * goes only to Exchange Online's own endpoint: a bearer token for SMTP.Send sent to any other server
 * could be used by it to send as the user. (`oauthToLoopbackForTests`: a test server on 127.0.0.1,
 * set only by a host running under test.) SMTP.Send is not asked for at sign-in; where it has no
 * consent yet, the host's consent round asks for it alone, before connecting; where the user may
 * not consent, the result says so with the admin-consent address.
 */
export async function smtpCheck(
  options: SmtpCheckOptions,
  m365: M365Session,
  extra: CutoverDayHost & { caFile?: string; oauthToLoopbackForTests?: boolean } = {},
): Promise<SmtpCheckResult> {
  const base = { host: options.host, port: options.port, user: options.user, ...(extra.caFile ? { caFile: extra.caFile } : {}), ...(extra.signal ? { signal: extra.signal } : {}) };
  if (options.auth.kind === 'password') return checkSmtp({ ...base, credentials: { kind: 'password', password: options.auth.password } });
  if (!mayReceiveToken(options.host, extra.oauthToLoopbackForTests === true)) {
    throw new CutoverError({ code: 'oauth-host-refused', message: `The Microsoft 365 sign-in token is sent only to ${EXCHANGE_SMTP.host}, not to ${options.host}.`, retryable: false });
  }
  const signedIn = m365 ? await m365.auth.signedIn() : null;
  if (!m365 || !signedIn) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365, so there is no token for SMTP AUTH.', retryable: false });
  if (signedIn.username.toLowerCase() !== options.user.toLowerCase()) {
    throw new CutoverError({ code: 'account-mismatch', message: `The Microsoft 365 sign-in is ${signedIn.username}, not ${options.user}; its token can only sign in as ${signedIn.username}.`, retryable: false });
  }
  const auth = m365.auth;
  try {
    // Order matters: any consent round happens before connecting, so the server never waits on a person.
    await auth.tokenWithConsent('smtp', extra.consent ?? null, extra.signal);
  } catch (err) {
    if (!isCutoverError(err) || err.code !== 'admin-consent-required') throw err;
    return { ok: false, stage: 'auth', method: 'oauth', reply: null, advice: [{ code: 'admin-consent-needed', facts: { user: options.user, permission: 'SMTP.Send', adminConsentUrl: await auth.adminConsentUrl('smtp') } }] };
  }
  return checkSmtp({ ...base, credentials: { kind: 'oauth', token: (force) => auth.smtpToken(force) } });
}

function mayReceiveToken(host: string, loopbackForTests: boolean): boolean {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  return name === EXCHANGE_SMTP.host || (loopbackForTests && isLoopbackHost(name));
}
