import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { M365Auth } from '../../src/main/engine/auth/m365-auth.js';
import { saveSettings, tokenCacheFile } from '../../src/main/engine/auth/m365-settings.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { FakeBrowser } from './fake-browser.js';
import { introspect as introspectToken, type Introspected } from './introspect.js';
import type { OidcInfo } from './oidc.js';
import { GraphClient } from '../../src/main/engine/graph/graph-client.js';
import { StateStore } from '../../src/main/engine/state/state-store.js';
import { tempStateDir } from './accounts.js';
import { addUser, type DovecotInfo } from './dovecot.js';

/** Environment that points the CLI at the stand-ins instead of Microsoft's servers. */
export function m365Env(oidc: OidcInfo, caFile: string, graphUrl: string, imapsPort: number): Record<string, string> {
  return {
    CUTOVER_AUTHORITY: oidc.issuer,
    CUTOVER_CLIENT_ID: oidc.clientId,
    CUTOVER_GRAPH_URL: graphUrl,
    CUTOVER_M365_IMAP: `127.0.0.1:${imapsPort}`,
    NODE_EXTRA_CA_CERTS: caFile,
    BROWSER: 'none',
  };
}

/** Signs `user` in through the real MSAL flow and leaves the result in `stateDir`, as "cutover login" does. */
export async function signInToStateDir(oidc: OidcInfo, caFile: string, user: string, stateDir: string, clientId = oidc.clientId): Promise<M365Auth> {
  const settings = { clientId, tenant: 'organizations' };
  const auth = new M365Auth(settings, new FileSecretStore(tokenCacheFile(stateDir)), { authority: oidc.issuer });
  const browser = new FakeBrowser(readFileSync(caFile, 'utf8'));
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const account = await Promise.race([auth.signInInteractive(async (url) => void browser.signIn(url, user).catch(fail)), failed]);
  saveSettings(stateDir, { ...settings, homeAccountId: account.homeAccountId });
  return auth;
}

/** The refresh token in an MSAL cache file (to send token requests by hand). */
export function refreshTokenIn(cacheFile: string): string {
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as { RefreshToken?: Record<string, { secret?: string }> };
  const secret = Object.values(cache.RefreshToken ?? {})[0]?.secret;
  if (!secret) throw new Error(`no refresh token in ${cacheFile}`);
  return secret;
}

/** Every token string in an MSAL cache file, to prove none of them leaks anywhere else. */
export function tokensIn(cacheFile: string): string[] {
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, Record<string, { secret?: string }>>;
  return Object.values(cache)
    .flatMap((section) => Object.values(section ?? {}))
    .map((entry) => entry.secret)
    .filter((s): s is string => typeof s === 'string' && s.length > 10);
}

/** What the OpenID provider says about a token (RFC 7662), as a resource server would ask. */
export async function introspect(oidc: OidcInfo, caFile: string, token: string): Promise<Introspected> {
  return introspectToken(oidc, readFileSync(caFile, 'utf8'), token);
}

/** A form POST over HTTPS trusting the test CA (token requests made by hand). */
export function postForm(url: string, caFile: string, fields: Record<string, string>, basic?: string): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        ca: readFileSync(caFile, 'utf8'),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A fresh Microsoft 365 user signed in through the real MSAL flow, with the state database and a
 * Graph client pointed at the stand-in: what the contacts/calendar copy tests start from.
 */
export async function signedInPimSession(
  dovecot: DovecotInfo,
  oidc: OidcInfo,
  caFile: string,
  graphUrl: string,
): Promise<{ user: string; stateDir: string; state: StateStore; graph: GraphClient }> {
  const user = addUser(dovecot, 'm365', { m365: true });
  const stateDir = tempStateDir();
  const auth = await signInToStateDir(oidc, caFile, user, stateDir);
  return { user, stateDir, state: StateStore.open(stateDir), graph: new GraphClient({ baseUrl: graphUrl, getToken: (force) => auth.graphToken(force) }) };
}
