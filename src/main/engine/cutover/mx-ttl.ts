import dns2 from 'dns2';
import { isIP } from 'node:net';
import type { DnsServerAddress } from './dns-server-address.js';

/**
 * The TTL of a domain's MX records as one server answers it, or null when it cannot be read.
 *
 * Why a second client: Node's resolver (c-ares) returns TTLs only for A and AAAA records
 * (`resolve4/resolve6 {ttl: true}`, and the A/AAAA entries of `resolveAny`); its MX answers, from
 * `resolveMx` and from `resolveAny` alike, carry exchange and priority only (checked on Node 20).
 * ANY queries are also refused or minimised by many servers (RFC 8482). So the MX records
 * themselves come from Node's resolver, and only their TTL from one plain MX query sent by dns2's
 * UDP client (it matches the query id and source, retries over TCP when the answer is truncated
 * and times out on its own).
 */
export async function readMxTtl(server: DnsServerAddress, domain: string, timeoutMs: number): Promise<number | null> {
  const ask = dns2.UDPClient({ dns: server.host, port: server.port, socketType: isIP(server.host) === 6 ? 'udp6' : 'udp4', timeout: timeoutMs });
  try {
    const answer = await ask(domain, 'MX');
    const ttls = answer.answers.filter((r) => r.type === dns2.Packet.TYPE.MX && r.name.toLowerCase().replace(/\.$/, '') === domain).map((r) => r.ttl);
    // An RRset shares one TTL (RFC 2181 §5.2); take the smallest should a server disagree with itself.
    return ttls.length > 0 ? Math.min(...ttls) : null;
  } catch {
    return null;
  }
}
