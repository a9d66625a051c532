import { error, ok, type GraphStandin } from './graph-standin.js';

/** The stand-in tenant's domains (name → the MX host Microsoft 365 shows for it) and who may read them. */
export interface StandinDomains {
  mx: Map<string, string>;
  /** Users holding a directory role that may read domains (Domain Name Administrator, Global Reader…). */
  domainRoles: Set<string>;
}

/**
 * GET /domains/{name}/serviceConfigurationRecords, as Graph answers it: the MX, SPF and autodiscover
 * records Microsoft 365 wants for the domain (domainDnsMxRecord, domainDnsTxtRecord,
 * domainDnsCnameRecord properties only). Like Graph, a delegated call needs both the permission in
 * the token (Domain.Read.All; a token without it gets 403 Authorization_RequestDenied) and a
 * directory role of the signed-in user (https://learn.microsoft.com/en-us/graph/api/domain-list-serviceconfigurationrecords);
 * 404 Request_ResourceNotFound for a domain the tenant does not have.
 */
export function addDomainRoutes(standin: GraphStandin, tenant: StandinDomains): void {
  standin.route('GET', /^\/v1\.0\/domains\/([^/]+)\/serviceConfigurationRecords$/, (m, r) => {
    const name = decodeURIComponent(m[1]!).toLowerCase();
    const mx = tenant.mx.get(name);
    if (!r.scopes.includes('Domain.Read.All') || !tenant.domainRoles.has(r.user)) return error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    if (!mx) return error(404, 'Request_ResourceNotFound', `Resource '${name}' does not exist or one of its queried reference-property objects are not present.`);
    const base = { isOptional: false, supportedService: 'Email', ttl: 3600 };
    return ok({
      '@odata.context': `${standin.url}/v1.0/$metadata#domains('${name}')/serviceConfigurationRecords`,
      value: [
        { '@odata.type': '#microsoft.graph.domainDnsMxRecord', id: `mx-${name}`, label: name, recordType: 'Mx', mailExchange: mx, preference: 0, ...base },
        { '@odata.type': '#microsoft.graph.domainDnsTxtRecord', id: `spf-${name}`, label: name, recordType: 'Txt', text: 'v=spf1 include:spf.protection.outlook.com -all', ...base },
        { '@odata.type': '#microsoft.graph.domainDnsCnameRecord', id: `ad-${name}`, label: `autodiscover.${name}`, recordType: 'CName', canonicalName: 'autodiscover.outlook.com', ...base },
      ],
    });
  });
}
