import { promises as dns } from 'node:dns';
import type { DnsLookupError, DnsMxRecord } from '../../../shared/cutover-day-types.js';
import type { DnsServerAddress } from './dns-server-address.js';
import { readMxTtl } from './mx-ttl.js';

/** Per query: c-ares waits this long per try and tries twice, so one dead server costs about 5 s. */
export const DNS_TIMEOUT_MS = 2500;
const DNS_TRIES = 2;

export interface MxAnswer {
  mx: DnsMxRecord[];
  ttl: number | null;
  error: DnsLookupError | null;
}

/** A Node resolver that asks exactly these servers, with a bounded wait. */
export function resolverFor(servers: DnsServerAddress[]): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: DNS_TIMEOUT_MS, tries: DNS_TRIES });
  resolver.setServers(servers.map((s) => s.text));
  return resolver;
}

export function hostName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** "No such name" and "no record of that type" are answers: the record is simply not there. */
export function isNoRecord(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === dns.NOTFOUND || code === dns.NODATA;
}

export function lookupError(err: unknown): DnsLookupError {
  const code = (err as { code?: string } | null)?.code;
  if (code === dns.TIMEOUT) return 'timeout';
  if (code === dns.REFUSED) return 'refused';
  if (code === dns.SERVFAIL) return 'server-failure';
  if (code === dns.CONNREFUSED) return 'unreachable';
  return code === dns.BADRESP || code === dns.FORMERR || code === dns.BADFAMILY ? 'bad-answer' : 'unreachable';
}

/** The domain's MX records from one server, sorted as senders try them, with their TTL. */
export async function askMx(server: DnsServerAddress, domain: string): Promise<MxAnswer> {
  let mx: DnsMxRecord[];
  try {
    const records = await resolverFor([server]).resolveMx(domain);
    mx = records.map((r) => ({ host: hostName(r.exchange), priority: r.priority })).sort((a, b) => a.priority - b.priority || a.host.localeCompare(b.host));
  } catch (err) {
    if (isNoRecord(err)) return { mx: [], ttl: null, error: null };
    return { mx: [], ttl: null, error: lookupError(err) };
  }
  return { mx, ttl: mx.length > 0 ? await readMxTtl(server, domain, DNS_TIMEOUT_MS * DNS_TRIES) : null, error: null };
}

/** The SPF records (TXT records starting "v=spf1", RFC 7208 §4.5) of the domain, as one server has them. */
export async function askSpf(server: DnsServerAddress, domain: string): Promise<string[]> {
  try {
    const txt = await resolverFor([server]).resolveTxt(domain);
    // A long TXT record arrives in 255-byte chunks that belong together (RFC 7208 §3.3).
    return txt.map((chunks) => chunks.join('')).filter((t) => /^v=spf1(\s|$)/i.test(t));
  } catch (err) {
    if (isNoRecord(err)) return [];
    throw err;
  }
}

/** Where autodiscover.DOMAIN points (its CNAME), or null when there is no such record. */
export async function askAutodiscover(server: DnsServerAddress, domain: string): Promise<string | null> {
  try {
    const [target] = await resolverFor([server]).resolveCname(`autodiscover.${domain}`);
    return target ? hostName(target) : null;
  } catch (err) {
    if (isNoRecord(err)) return null;
    throw err;
  }
}
