import { CutoverError } from '../shared/errors.js';
import type { DnsOverrides } from './engine/cutover/dns-server-address.js';

/**
 * What a host passes to the DNS check from its environment: CUTOVER_DNS_SERVERS (comma-separated
 * `IP[:PORT]`) replaces this computer's resolvers, CUTOVER_DNS_PORT the port name servers are asked
 * on. The tests use them; so can someone whose network blocks port 53 to the outside.
 */
export function dnsOverridesFromEnvironment(env: NodeJS.ProcessEnv = process.env): DnsOverrides {
  const servers = env.CUTOVER_DNS_SERVERS?.split(',').map((s) => s.trim()).filter(Boolean);
  const portText = env.CUTOVER_DNS_PORT?.trim();
  if (portText !== undefined && portText !== '' && !/^\d{1,5}$/.test(portText)) {
    throw new CutoverError({ code: 'usage', message: `CUTOVER_DNS_PORT "${portText}" is not a port number.`, retryable: false });
  }
  return { ...(servers?.length ? { servers } : {}), ...(portText ? { nameServerPort: Number(portText) } : {}) };
}
