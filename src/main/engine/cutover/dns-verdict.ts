import type { DnsFinding, DnsResolverView, DnsState } from '../../../shared/cutover-day-types.js';
import type { ExpectedMx } from './expected-mx.js';

/** Microsoft's own advice: MX TTL 1 hour. Longer than that, lower it a day ahead. */
export const LONGEST_COMFORTABLE_TTL = 3600;
/** What to lower a long TTL to before switching (imapsync's TTL FAQ uses 300 s too). */
export const SHORT_TTL = 300;
export const MICROSOFT_SPF_INCLUDE = 'include:spf.protection.outlook.com';
export const MICROSOFT_AUTODISCOVER = 'autodiscover.outlook.com';

/** Exchange Online's MX host names: older domains "*.mail.protection.outlook.com", newer "*.mx.microsoft". */
export function isMicrosoftMx(host: string): boolean {
  return /\.mail\.protection\.outlook\.com$/.test(host) || /\.mx\.microsoft$/.test(host);
}

export interface DnsVerdictInput {
  domain: string;
  expected: string | null;
  /** Why the expected MX could not be read from Microsoft 365 (null: it was given or read). */
  expectedProblem: Extract<ExpectedMx, { found: false }>['reason'] | null;
  nameServersFound: boolean;
  views: Omit<DnsResolverView, 'switched'>[];
  /** null: no server answered the TXT query. */
  spf: string[] | null;
  /** undefined: no server answered; null: there is no autodiscover CNAME. */
  autodiscover: string | null | undefined;
  now: Date;
}

export interface DnsVerdict {
  views: DnsResolverView[];
  state: DnsState;
  answered: number;
  switched: number;
  findings: DnsFinding[];
}

/** Pure: what the answers mean. Senders use the MX with the lowest priority number first (RFC 5321 §5.1). */
export function judgeDns(input: DnsVerdictInput): DnsVerdict {
  const isExpected = (host: string): boolean => (input.expected ? host === input.expected : isMicrosoftMx(host));
  const findings: DnsFinding[] = [];
  if (input.expectedProblem === 'domain-not-in-tenant') findings.push({ level: 'blocking', code: 'domain-not-in-tenant', facts: { domain: input.domain } });
  else if (input.expectedProblem) findings.push({ level: 'warning', code: 'expected-mx-unknown', facts: { reason: input.expectedProblem } });
  if (!input.nameServersFound) findings.push({ level: 'warning', code: 'no-name-servers', facts: { domain: input.domain } });

  const views: DnsResolverView[] = input.views.map((v) => {
    const ours = v.mx.filter((r) => isExpected(r.host));
    const others = v.mx.filter((r) => !isExpected(r.host));
    const best = Math.min(...ours.map((r) => r.priority));
    return { ...v, switched: ours.length > 0 && others.every((r) => r.priority > best) };
  });
  for (const v of views) if (v.error) findings.push({ level: 'warning', code: 'resolver-failed', facts: { server: v.server, name: v.name, error: v.error } });
  const answered = views.filter((v) => !v.error);
  const switched = answered.filter((v) => v.switched);
  const state: DnsState = answered.length > 0 && switched.length === answered.length ? 'switched' : switched.length > 0 ? 'mixed' : 'old';

  if (answered.length === 0) {
    findings.push({ level: 'blocking', code: 'no-resolver-answered', facts: { asked: views.length } });
  } else if (state === 'switched') {
    findings.push({ level: 'ok', code: 'mx-switched', facts: { resolvers: answered.length } });
  } else {
    const stale = answered.filter((v) => !v.switched);
    const ttls = stale.map((v) => v.ttl).filter((t): t is number => t !== null);
    if (state === 'mixed') {
      findings.push({ level: 'warning', code: 'mx-mixed', facts: { switched: switched.length, of: answered.length, waitSeconds: ttls.length ? Math.max(...ttls) : null } });
    } else {
      // Where mail goes now: the hosts senders try first on each server.
      const first = stale.flatMap((v) => v.mx.filter((r) => r.priority === Math.min(...v.mx.map((m) => m.priority))).map((r) => r.host));
      findings.push({ level: 'warning', code: 'mx-old', facts: { current: unique(first), expected: input.expected } });
    }
    const empty = answered.filter((v) => v.mx.length === 0);
    if (empty.length > 0) findings.push({ level: 'blocking', code: 'mx-none', facts: { servers: empty.map((v) => v.server) } });
  }

  // Records left next to Microsoft's: they take mail whenever they come first or tie.
  const mixedIn = answered.filter((v) => v.mx.some((r) => isExpected(r.host)) && v.mx.some((r) => !isExpected(r.host)));
  if (mixedIn.length > 0) {
    const preferred = mixedIn.some((v) => !v.switched);
    findings.push({ level: preferred ? 'blocking' : 'warning', code: 'mx-leftover', facts: { hosts: unique(mixedIn.flatMap((v) => v.mx.filter((r) => !isExpected(r.host)).map((r) => r.host))), preferred } });
  }

  if (state === 'old' && answered.length > 0) {
    // The configured TTL is what authoritative servers say; caching ones only show what is left of it.
    const authoritative = answered.filter((v) => v.kind === 'authoritative' && v.ttl !== null);
    const ttls = (authoritative.length > 0 ? authoritative : answered).map((v) => v.ttl).filter((t): t is number => t !== null);
    const ttl = ttls.length ? Math.max(...ttls) : null;
    if (ttl !== null && ttl > LONGEST_COMFORTABLE_TTL) {
      findings.push({ level: 'warning', code: 'mx-ttl-long', facts: { ttl, lowerTo: SHORT_TTL, switchAfter: new Date(input.now.getTime() + ttl * 1000).toISOString() } });
    }
  }

  if (input.spf !== null) {
    const spf = input.spf;
    if (spf.length === 0) findings.push({ level: 'warning', code: 'spf-none', facts: {} });
    // Two SPF records make every SPF check fail with a permanent error (RFC 7208 §4.5).
    else if (spf.length > 1) findings.push({ level: 'blocking', code: 'spf-multiple', facts: { records: spf } });
    else if (!spf[0]!.toLowerCase().split(/\s+/).includes(MICROSOFT_SPF_INCLUDE)) findings.push({ level: 'warning', code: 'spf-missing-microsoft', facts: { record: spf[0]! } });
    else findings.push({ level: 'ok', code: 'spf-ok', facts: { record: spf[0]! } });
  }
  if (input.autodiscover !== undefined) {
    const name = `autodiscover.${input.domain}`;
    if (input.autodiscover === null) findings.push({ level: 'warning', code: 'autodiscover-missing', facts: { name } });
    else if (input.autodiscover !== MICROSOFT_AUTODISCOVER) findings.push({ level: 'warning', code: 'autodiscover-elsewhere', facts: { name, target: input.autodiscover } });
    else findings.push({ level: 'ok', code: 'autodiscover-ok', facts: { target: input.autodiscover } });
  }
  return { views, state, answered: answered.length, switched: switched.length, findings };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
