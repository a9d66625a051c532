import { getServers } from 'node:dns';
import { isIP } from 'node:net';
import { CutoverError } from '../../../shared/errors.js';

/** One DNS server to ask: an IP address and a port. */
export interface DnsServerAddress {
  host: string;
  port: number;
  /** As Node's Resolver.setServers takes it and as reports show it: "192.0.2.1", "127.0.0.1:5353", "[::1]:53". */
  text: string;
}

export function dnsServer(host: string, port = 53): DnsServerAddress {
  const v6 = isIP(host) === 6;
  const text = port === 53 ? host : v6 ? `[${host}]:${port}` : `${host}:${port}`;
  return { host, port, text };
}

/** "IP", "IP:PORT", "[IPv6]:PORT" or a bare IPv6 address; anything else is refused by name. */
export function parseDnsServer(text: string): DnsServerAddress {
  const t = text.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(t);
  const v4 = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(t);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : v4 ? [v4[1]!, v4[2]] : [t, undefined];
  const n = port === undefined ? 53 : Number(port);
  if (!isIP(host) || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new CutoverError({ code: 'usage', message: `"${text}" is not a DNS server address (an IP address, optionally with :PORT).`, retryable: false });
  }
  return dnsServer(host, n);
}

/**
 * Replacements a host may pass for where "this computer's resolver" and the domain's name servers
 * are reached: the tests point both at DNS servers on 127.0.0.1 (the hosts read them from
 * CUTOVER_DNS_SERVERS and CUTOVER_DNS_PORT; the engine never reads the environment).
 */
export interface DnsOverrides {
  /** Addresses ("IP" or "IP:PORT") asked instead of this computer's resolvers. */
  servers?: string[];
  /** The port the domain's name servers are asked on (53). */
  nameServerPort?: number;
}

/** The resolvers and name-server port a DNS check uses: the system's, unless the host replaced them. */
export function dnsSetup(overrides: DnsOverrides = {}): { system: DnsServerAddress[]; nameServerPort: number } {
  const system = overrides.servers?.length ? overrides.servers.map(parseDnsServer) : getServers().map(parseDnsServer);
  const port = overrides.nameServerPort ?? 53;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CutoverError({ code: 'usage', message: `${port} is not a port number for name servers.`, retryable: false });
  }
  return { system, nameServerPort: port };
}
