import type { DnsReport, DnsResolverView } from '../../../shared/cutover-day-types.js';
import { CutoverError } from '../../../shared/errors.js';
import type { GraphClient } from '../graph/graph-client.js';
import { askAutodiscover, askMx, askSpf, hostName } from './ask-dns-server.js';
import type { DnsServerAddress } from './dns-server-address.js';
import { judgeDns, type DnsVerdictInput } from './dns-verdict.js';
import { expectedMxFromGraph } from './expected-mx.js';
import { findNameServers } from './find-name-servers.js';

export interface DnsCheckRequest {
  domain: string;
  /** Pasted by the user; wins over Graph. */
  expectMx: string | null;
  /** Servers the user named, asked in addition to the system's and the domain's own. */
  resolvers: DnsServerAddress[];
  /** This computer's resolvers (dns.getServers(), or the host's replacements). */
  system: DnsServerAddress[];
  /** The port the domain's name servers are asked on (53). */
  nameServerPort: number;
  /** The signed-in Microsoft 365 session's Graph client, when there is one. */
  graph: GraphClient | null;
  now?: () => Date;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

export function normalizeDomain(text: string, what: string): string {
  const name = hostName(text.trim());
  if (!DOMAIN.test(name)) throw new CutoverError({ code: 'usage', message: `"${text}" is not a ${what} (like contoso.com).`, retryable: false });
  return name;
}

/**
 * Where the domain's mail goes right now, as each DNS server sees it: MX (with TTL), SPF and the
 * autodiscover CNAME, from this computer's resolver, the domain's authoritative name servers and
 * any servers the user names. Asks only; changes nothing. One call is one snapshot: a watcher calls
 * it again and notes the `checkedAt` at which `state` first reads "switched".
 */
export async function checkDns(request: DnsCheckRequest): Promise<DnsReport> {
  const domain = normalizeDomain(request.domain, 'domain name');
  const given = request.expectMx ? normalizeDomain(request.expectMx, 'mail server name') : null;
  const now = request.now ?? (() => new Date());
  const [expected, nameServers] = await Promise.all([
    given ? Promise.resolve({ found: true as const, host: given }) : request.graph ? expectedMxFromGraph(request.graph, domain) : Promise.resolve({ found: false as const, reason: 'not-signed-in' as const }),
    findNameServers(request.system, domain, request.nameServerPort),
  ]);
  const checkedAt = now();
  const targets: Omit<DnsResolverView, 'mx' | 'ttl' | 'error' | 'switched'>[] = [];
  const seen = new Set<string>();
  const add = (server: DnsServerAddress, kind: DnsResolverView['kind'], name: string | null): void => {
    if (seen.has(server.text)) return;
    seen.add(server.text);
    targets.push({ server: server.text, kind, name });
  };
  for (const s of request.system) add(s, 'system', null);
  for (const ns of nameServers ?? []) add(ns.address, 'authoritative', ns.name);
  for (const s of request.resolvers) add(s, 'given', null);
  const addressOf = new Map<string, DnsServerAddress>([...request.system, ...(nameServers ?? []).map((n) => n.address), ...request.resolvers].map((s) => [s.text, s]));

  const views = await Promise.all(targets.map(async (t) => ({ ...t, ...(await askMx(addressOf.get(t.server)!, domain)) })));
  // SPF and autodiscover are read where the truth is: an authoritative server when one answered.
  const order = [...views.filter((v) => v.kind === 'authoritative' && !v.error), ...views.filter((v) => v.kind !== 'authoritative' && !v.error)];
  const records = await readZoneRecords(order.map((v) => addressOf.get(v.server)!), domain);

  const input: DnsVerdictInput = {
    domain,
    expected: expected.found ? expected.host : null,
    expectedProblem: expected.found ? null : expected.reason,
    nameServersFound: nameServers !== null,
    views,
    spf: records?.spf ?? null,
    autodiscover: records ? records.autodiscover : undefined,
    now: checkedAt,
  };
  const verdict = judgeDns(input);
  return {
    domain,
    checkedAt: checkedAt.toISOString(),
    expectedMx: input.expected,
    expectedMxSource: given ? 'given' : expected.found ? 'microsoft-365' : null,
    state: verdict.state,
    answered: verdict.answered,
    switched: verdict.switched,
    resolvers: verdict.views,
    recordsFrom: records?.server ?? null,
    spf: records?.spf ?? [],
    autodiscover: records?.autodiscover ?? null,
    findings: verdict.findings,
  };
}

/** SPF and autodiscover from the first of these servers that answers both. */
async function readZoneRecords(servers: DnsServerAddress[], domain: string): Promise<{ server: string; spf: string[]; autodiscover: string | null } | null> {
  for (const server of servers) {
    try {
      const [spf, autodiscover] = await Promise.all([askSpf(server, domain), askAutodiscover(server, domain)]);
      return { server: server.text, spf, autodiscover };
    } catch {
      // that server did not answer: try the next one
    }
  }
  return null;
}
