import { readFileSync } from 'node:fs';
import { M365Auth } from '../../src/main/engine/auth/m365-auth.js';
import { saveSettings, tokenCacheFile } from '../../src/main/engine/auth/m365-settings.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { FakeBrowser } from './fake-browser.js';
import type { OidcInfo } from './oidc.js';

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
export async function signInToStateDir(oidc: OidcInfo, caFile: string, user: string, stateDir: string): Promise<M365Auth> {
  process.env.CUTOVER_AUTHORITY = oidc.issuer;
  const settings = { clientId: oidc.clientId, tenant: 'organizations' };
  const auth = new M365Auth(settings, new FileSecretStore(tokenCacheFile(stateDir)));
  const browser = new FakeBrowser(readFileSync(caFile, 'utf8'));
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  await Promise.race([auth.signInInteractive(async (url) => void browser.signIn(url, user).catch(fail)), failed]);
  saveSettings(stateDir, settings);
  return auth;
}

/** Every token string in an MSAL cache file, to prove none of them leaks anywhere else. */
export function tokensIn(cacheFile: string): string[] {
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, Record<string, { secret?: string }>>;
  return Object.values(cache)
    .flatMap((section) => Object.values(section ?? {}))
    .map((entry) => entry.secret)
    .filter((s): s is string => typeof s === 'string' && s.length > 10);
}
