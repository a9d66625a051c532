import { dnsServer, type DnsServerAddress } from './dns-server-address.js';
import { hostName, isNoRecord, resolverFor } from './ask-dns-server.js';

export interface NameServer {
  name: string;
  address: DnsServerAddress;
}

/** More name servers than this add nothing to the picture and only cost time. */
const MAX_NAME_SERVERS = 6;

/**
 * The domain's authoritative name servers, found through the system resolver: NS records of the
 * domain (or of the closest parent that has them, for a mail domain like mail.example.org), then
 * each server's address (IPv4 first; IPv6 only when it has no IPv4 address). Null when none.
 */
export async function findNameServers(system: DnsServerAddress[], domain: string, port: number): Promise<NameServer[] | null> {
  const resolver = resolverFor(system);
  let names: string[] = [];
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1 && names.length === 0; i++) {
    try {
      names = (await resolver.resolveNs(labels.slice(i).join('.'))).map(hostName);
    } catch (err) {
      if (!isNoRecord(err)) return null;
    }
  }
  const found = await Promise.all(
    [...new Set(names)].sort().slice(0, MAX_NAME_SERVERS).map(async (name): Promise<NameServer | null> => {
      for (const family of [4, 6] as const) {
        try {
          const [address] = family === 4 ? await resolver.resolve4(name) : await resolver.resolve6(name);
          if (address) return { name, address: dnsServer(address, port) };
        } catch {
          // try the other family, then leave this server out
        }
      }
      return null;
    }),
  );
  const servers = found.filter((s): s is NameServer => s !== null);
  return servers.length > 0 ? servers : null;
}
