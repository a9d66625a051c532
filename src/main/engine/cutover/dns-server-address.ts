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

/** Replacements for this computer's resolvers and the name servers' port (53), as the host was configured (the tests point both at DNS servers on 127.0.0.1). */
export interface DnsOverride {
  /** Addresses ("IP" or "IP:PORT") asked instead of dns.getServers(). */
  servers?: string[];
  nameServerPort?: number;
}

/** Where "this computer's resolver" and the domain's name servers are reached: the host's override, else the system's resolvers and port 53. */
export function dnsSetup(override: DnsOverride = {}): { system: DnsServerAddress[]; nameServerPort: number } {
  const system = (override.servers?.length ? override.servers : getServers()).map(parseDnsServer);
  return { system, nameServerPort: override.nameServerPort ?? 53 };
}
