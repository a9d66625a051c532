import { request as httpsRequest } from 'node:https';
import type { OidcInfo } from './oidc.js';

/** What the OpenID provider says about an access token (RFC 7662). */
export interface Introspected {
  active: boolean;
  sub?: string;
  scope?: string;
  exp?: number;
  aud?: string | string[];
}

/**
 * Asks the OpenID provider about a token, as a resource server does (the Graph stand-in, the
 * Exchange-like SMTP server, tests): one place for the introspection request.
 */
export function introspect(oidc: OidcInfo, ca: string, token: string): Promise<Introspected> {
  const body = new URLSearchParams({ token }).toString();
  const basic = Buffer.from(`${oidc.introspector.id}:${oidc.introspector.secret}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(oidc.introspectionUrl, { method: 'POST', ca, headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text) as Introspected);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
