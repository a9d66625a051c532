import { z } from 'zod';
import { isCutoverError } from '../../../shared/errors.js';
import { graphStatus, type GraphClient } from '../graph/graph-client.js';
import { hostName } from './ask-dns-server.js';

export type ExpectedMx =
  | { found: true; host: string }
  | { found: false; reason: 'forbidden' | 'no-consent' | 'not-signed-in' | 'sign-in-required' | 'unreachable' | 'no-mx-record' | 'domain-not-in-tenant' };

/** Only what we read from a serviceConfigurationRecords entry; other record types pass unread. */
const recordSchema = z.object({ recordType: z.string(), mailExchange: z.string().min(1).max(253).optional() });

/**
 * The MX host Microsoft 365 wants for the domain, from Graph's serviceConfigurationRecords. Reading
 * it needs a token with Domain.Read.All (the `domains` scope set) and a directory role (Domain Name
 * Administrator, Global Reader…), which most users do not have: a 403 is an expected answer, not a
 * failure, and the user pastes the value from the admin center instead.
 */
export async function expectedMxFromGraph(graph: GraphClient, domain: string): Promise<ExpectedMx> {
  let records: unknown[];
  try {
    records = await graph.getAll<unknown>(`/domains/${encodeURIComponent(domain)}/serviceConfigurationRecords`);
  } catch (err) {
    const status = graphStatus(err);
    if (status === 403) return { found: false, reason: 'forbidden' };
    if (status === 404) return { found: false, reason: 'domain-not-in-tenant' };
    if (isCutoverError(err) && err.code === 'not-signed-in') return { found: false, reason: 'not-signed-in' };
    if (isCutoverError(err) && err.code === 'sign-in-required') return { found: false, reason: 'sign-in-required' };
    return { found: false, reason: 'unreachable' };
  }
  for (const record of records) {
    const parsed = recordSchema.safeParse(record);
    if (parsed.success && parsed.data.recordType.toLowerCase() === 'mx' && parsed.data.mailExchange) return { found: true, host: hostName(parsed.data.mailExchange) };
  }
  return { found: false, reason: 'no-mx-record' };
}
