import { safeToClose, sweepUntil } from '../../src/main/engine/watch/sweep.js';
import type { DnsFinding, DnsReport, DnsResolverView, SmtpCheckResult } from '../../src/shared/cutover-day-types.js';
import type { WatchStatus } from '../../src/shared/watch-types.js';

/** Realistic answers of the cutover day's calls for component tests (the shapes the engine returns, checked by the compiler). */

export const DOMAIN = 'contoso.com';
export const MICROSOFT_MX = 'contoso-com.mail.protection.outlook.com';
export const OLD_MX = 'mx1.old-host.example';

export function resolver(patch: Partial<DnsResolverView> & Pick<DnsResolverView, 'server'>): DnsResolverView {
  return { kind: 'system', name: null, mx: [{ host: OLD_MX, priority: 10 }], ttl: 3600, switched: false, error: null, ...patch };
}

/** One DNS snapshot; `state`, `answered` and `switched` follow from the resolvers, as in the engine. */
export function dnsReport(resolvers: DnsResolverView[], findings: DnsFinding[], patch: Partial<DnsReport> = {}): DnsReport {
  const answered = resolvers.filter((r) => !r.error);
  const switched = answered.filter((r) => r.switched).length;
  return {
    domain: DOMAIN,
    checkedAt: '2026-11-30T12:04:00.000Z',
    expectedMx: MICROSOFT_MX,
    expectedMxSource: 'microsoft-365',
    state: switched === 0 ? 'old' : switched === answered.length ? 'switched' : 'mixed',
    answered: answered.length,
    switched,
    resolvers,
    recordsFrom: '198.51.100.53',
    spf: ['v=spf1 include:spf.protection.outlook.com -all'],
    autodiscover: 'autodiscover.outlook.com',
    findings,
    ...patch,
  };
}

export function smtpResult(patch: Partial<SmtpCheckResult>): SmtpCheckResult {
  return { ok: false, stage: 'auth', method: 'oauth', reply: null, advice: [], ...patch };
}

/** A watch's status as the engine reports it; `safeToClose` is the engine's own verdict for these facts at `now`. */
export function watchStatus(patch: Partial<Omit<WatchStatus, 'safeToClose'>>, facts: { now: number; compare: { at: number; missing: number } | null; oldMxTtl?: number | null }): WatchStatus {
  const base: Omit<WatchStatus, 'safeToClose'> = {
    state: 'watching',
    jobId: 'watch-1',
    elsewhere: null,
    lastCheckedAt: new Date(facts.now - 60_000).toISOString(),
    copiedTotal: 0,
    lateArrivals: { count: 0, lastAt: null, items: [] },
    switchSeenAt: null,
    sweepUntil: null,
    lastCompare: facts.compare ? { at: new Date(facts.compare.at).toISOString(), missing: facts.compare.missing } : null,
    error: null,
    ...patch,
  };
  const seen = base.switchSeenAt ? Date.parse(base.switchSeenAt) : null;
  return {
    ...base,
    sweepUntil: seen === null ? null : new Date(sweepUntil(seen, facts.oldMxTtl ?? null)).toISOString(),
    safeToClose: safeToClose({ now: facts.now, switchSeenAt: seen, oldMxTtlSeconds: facts.oldMxTtl ?? null, lastLateAt: base.lateArrivals.lastAt ? Date.parse(base.lateArrivals.lastAt) : null, compare: facts.compare }),
  };
}
