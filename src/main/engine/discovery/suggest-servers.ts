import { promises as dns, type SrvRecord } from 'node:dns';
import { domainToUnicode } from 'node:url';
import type { ServerSuggestion } from '../../../shared/app-api.js';
import { asciiHost } from '../net/host-name.js';

/**
 * Finds the IMAP server for an address the way mail programs do, fastest answers first: the
 * domain's autoconfig file, Mozilla's ISPDB, RFC 6186 SRV records, then common host names.
 * Every lookup has a short timeout; none is required to succeed.
 */
export async function suggestServers(email: string, options: { timeoutMs?: number; fetchImpl?: typeof fetch; resolveSrv?: (name: string) => Promise<SrvRecord[]> } = {}): Promise<ServerSuggestion[]> {
  // Lookups use the ASCII (punycode) form of an internationalized domain (bücher.example);
  // guessed names keep the form the user typed, the engine converts them again to connect.
  const typed = email.split('@')[1]?.trim().toLowerCase() ?? '';
  let domain: string;
  try {
    domain = typed ? asciiHost(typed) : '';
  } catch {
    return [];
  }
  if (!domain || !/^[a-z0-9.-]+\.(?:[a-z]{2,}|xn--[a-z0-9-]+)$/.test(domain)) return [];
  const timeout = options.timeoutMs ?? 3000;
  const get = options.fetchImpl ?? fetch;
  const resolveSrv = options.resolveSrv ?? ((name: string) => dns.resolveSrv(name));
  const fetchXml = async (url: string, source: string): Promise<ServerSuggestion[]> => {
    try {
      const res = await get(url, { signal: AbortSignal.timeout(timeout) });
      return res.ok ? parseAutoconfig(await res.text(), source) : [];
    } catch {
      return [];
    }
  };
  const srv = async (name: string, tls: 'implicit' | 'starttls'): Promise<ServerSuggestion[]> => {
    try {
      const records = await Promise.race([resolveSrv(name), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeout))]);
      return records.filter((r) => r.name && r.name !== '.').sort((a, b) => a.priority - b.priority || b.weight - a.weight).map((r) => ({ host: r.name, port: r.port, tls, source: 'srv' }));
    } catch {
      return [];
    }
  };
  const found = await Promise.all([
    fetchXml(`https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(email)}`, 'autoconfig'),
    fetchXml(`https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml`, 'autoconfig'),
    fetchXml(`https://autoconfig.thunderbird.net/v1.1/${domain}`, 'ispdb'),
    srv(`_imaps._tcp.${domain}`, 'implicit'),
    srv(`_imap._tcp.${domain}`, 'starttls'),
  ]);
  const shown = domainToUnicode(domain) || domain;
  const guesses: ServerSuggestion[] = [`imap.${shown}`, `mail.${shown}`].map((host) => ({ host, port: 993, tls: 'implicit', source: 'guess' }));
  const all = [...found.flat(), ...guesses];
  const seen = new Set<string>();
  return all.filter((s) => {
    const key = `${sameHost(s.host)}:${s.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One spelling per host for de-duplication (imap.bücher.example = imap.xn--bcher-kva.example). */
function sameHost(host: string): string {
  try {
    return asciiHost(host);
  } catch {
    return host.toLowerCase();
  }
}

/** Reads the IMAP servers of a Thunderbird autoconfig (clientConfig 1.1) document. */
export function parseAutoconfig(xml: string, source: string): ServerSuggestion[] {
  const out: ServerSuggestion[] = [];
  for (const m of xml.matchAll(/<incomingServer\s+type="imap"\s*>([\s\S]*?)<\/incomingServer>/gi)) {
    const body = m[1]!;
    const host = /<hostname>\s*([^<\s]+)\s*<\/hostname>/i.exec(body)?.[1];
    const port = Number(/<port>\s*(\d+)\s*<\/port>/i.exec(body)?.[1]);
    const socket = /<socketType>\s*([^<\s]+)\s*<\/socketType>/i.exec(body)?.[1]?.toUpperCase();
    if (!host || !Number.isInteger(port) || host.includes('%')) continue;
    if (socket === 'SSL') out.push({ host, port, tls: 'implicit', source });
    else if (socket === 'STARTTLS') out.push({ host, port, tls: 'starttls', source });
  }
  return out;
}
