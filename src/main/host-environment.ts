import { CutoverError } from '../shared/errors.js';
import type { DnsOverrides, M365Endpoints } from './engine/service/for-hosts.js';

/**
 * Microsoft 365's endpoints as this host's environment sets them (every host reads them here and
 * passes them to its engine service; the engine never reads the environment):
 * CUTOVER_AUTHORITY (an OpenID provider URL), CUTOVER_GRAPH_URL, CUTOVER_M365_IMAP (host:port) and
 * CUTOVER_CLIENT_ID (the app registration used when the person names none). The tests point them
 * at their stand-ins; a hybrid or sovereign-cloud setup can too.
 */
export function m365FromEnvironment(env: NodeJS.ProcessEnv = process.env): M365Endpoints {
  const out: M365Endpoints = {};
  if (env.CUTOVER_AUTHORITY) out.authority = env.CUTOVER_AUTHORITY;
  if (env.CUTOVER_GRAPH_URL) out.graphUrl = env.CUTOVER_GRAPH_URL;
  if (env.CUTOVER_CLIENT_ID) out.clientId = env.CUTOVER_CLIENT_ID;
  const imap = env.CUTOVER_M365_IMAP;
  if (imap) {
    const at = imap.lastIndexOf(':');
    const host = (at < 0 ? imap : imap.slice(0, at)).replace(/^\[(.*)\]$/, '$1');
    const port = at < 0 ? 993 : Number(imap.slice(at + 1));
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new CutoverError({ code: 'usage', message: `CUTOVER_M365_IMAP "${imap}" is not HOST:PORT.`, retryable: false });
    out.imap = { host, port };
  }
  return out;
}

/**
 * The cutover day's DNS servers as this host's environment sets them: CUTOVER_DNS_SERVERS
 * (comma-separated "IP" or "IP:PORT", replacing this computer's resolvers) and CUTOVER_DNS_PORT (the
 * port the domain's name servers answer on, 53). The tests point both at DNS servers on 127.0.0.1.
 */
export function dnsFromEnvironment(env: NodeJS.ProcessEnv = process.env): DnsOverrides {
  const out: DnsOverrides = {};
  const servers = env.CUTOVER_DNS_SERVERS?.trim();
  if (servers) out.servers = servers.split(',').map((s) => s.trim());
  if (env.CUTOVER_DNS_PORT) {
    const port = Number(env.CUTOVER_DNS_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CutoverError({ code: 'usage', message: `CUTOVER_DNS_PORT "${env.CUTOVER_DNS_PORT}" is not a port number.`, retryable: false });
    out.nameServerPort = port;
  }
  return out;
}
