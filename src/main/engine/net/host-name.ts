import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { CutoverError } from '../../../shared/errors.js';

/**
 * The form of a host name that DNS, TLS (SNI and the certificate check) and URLs use: an
 * internationalized name (bücher.example) becomes punycode (xn--bcher-kva.example) through the
 * WHATWG "domain to ASCII" algorithm; IP addresses (IPv6 with or without brackets) pass unchanged.
 * People keep seeing the name as they typed it; only the wire uses this one.
 */
export function asciiHost(host: string): string {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return bare;
  const ascii = domainToASCII(bare.replace(/\.$/, ''));
  if (!ascii) throw new CutoverError({ code: 'usage', message: `"${host}" is not a valid host name.`, retryable: false });
  return ascii;
}

/**
 * A DNS domain name in ASCII (punycode for international names): dot-separated labels of letters,
 * digits and inner hyphens, at most 63 characters each and 253 in all, with a top-level label of at
 * least two characters ("xn--p1ai" included). The one check for domains typed by a person (a
 * Microsoft 365 tenant, the domain of the DNS check).
 */
export function isDomainName(name: string): boolean {
  return DOMAIN.test(name);
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i;
