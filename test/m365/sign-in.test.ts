import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { M365Auth } from '../../src/main/engine/auth/m365-auth.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { ImapSession } from '../../src/main/engine/imap/imap-session.js';
import { addUser } from '../harness/dovecot.js';
import { FakeBrowser } from '../harness/fake-browser.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');

function newAuth(): { auth: M365Auth; cacheFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-auth-'));
  const cacheFile = join(dir, 'm365-token-cache.json');
  return { auth: new M365Auth({ clientId: oidc.clientId, tenant: 'organizations' }, new FileSecretStore(cacheFile)), cacheFile };
}

/** Runs a sign-in while the fake browser acts; a browser failure fails the test instead of hanging it. */
async function withBrowser<T>(start: (open: (url: string) => Promise<void>) => Promise<T>, act: (url: string) => Promise<void>): Promise<T> {
  let fail: (err: unknown) => void = () => undefined;
  const browserFailed = new Promise<never>((_, reject) => (fail = reject));
  return Promise.race([start(async (url) => void act(url).catch(fail)), browserFailed]);
}

beforeAll(() => {
  process.env.CUTOVER_AUTHORITY = oidc.issuer;
});

describe('signing in to the Microsoft 365 stand-in through the real MSAL code path', () => {
  it('signs in with auth code + PKCE in a browser, then gets a Graph token and an IMAP token that Dovecot accepts', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const { auth, cacheFile } = newAuth();
    const browser = new FakeBrowser(readFileSync(dovecot.caFile, 'utf8'));
    let seenUrl = '';
    const account = await withBrowser(
      (open) => auth.signInInteractive(open),
      (url) => {
        seenUrl = url;
        return browser.signIn(url, user);
      },
    );
    expect(account.username).toBe(user);
    const authUrl = new URL(seenUrl);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+/);
    expect(authUrl.searchParams.get('scope')).toContain('https://outlook.office.com/IMAP.AccessAsUser.All');

    expect(await auth.graphToken()).toMatch(/\S{20,}/);
    const imap = await auth.imapCredentials();
    expect(imap.user).toBe(user);
    const session = await ImapSession.connect({ host: '127.0.0.1', port: dovecot.imapsPort, user, tls: 'implicit' }, { accessToken: imap.accessToken }, { role: 'target', caFile: dovecot.caFile });
    expect((await session.listFolders(false)).map((f) => f.path)).toContain('INBOX');
    await session.logout();

    // The persisted cache is private to the user, and a new instance is still signed in.
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    const again = new M365Auth({ clientId: oidc.clientId, tenant: 'organizations' }, new FileSecretStore(cacheFile));
    expect((await again.signedIn())?.username).toBe(user);
    await again.signOut();
    expect((await again.signedIn())).toBeNull();
    await expect(again.graphToken()).rejects.toMatchObject({ code: 'not-signed-in' });
  });

  it('reports a sign-in the user cancels in the browser', async () => {
    const user = addUser(dovecot, 'm365c', { m365: true });
    const { auth } = newAuth();
    const browser = new FakeBrowser(readFileSync(dovecot.caFile, 'utf8'));
    await expect(withBrowser((open) => auth.signInInteractive(open), (url) => browser.signIn(url, user, { cancel: true }))).rejects.toMatchObject({
      code: 'user-cancelled',
    });
  });

  it('signs in with the device code flow', async () => {
    const user = addUser(dovecot, 'm365d', { m365: true });
    const { auth } = newAuth();
    const browser = new FakeBrowser(readFileSync(dovecot.caFile, 'utf8'));
    let message = '';
    let fail: (err: unknown) => void = () => undefined;
    const browserFailed = new Promise<never>((_, reject) => (fail = reject));
    const account = await Promise.race([
      auth.signInWithDeviceCode((prompt) => {
        message = prompt.message;
        browser.enterDeviceCode(prompt.verificationUri, prompt.userCode, user).catch(fail);
      }),
      browserFailed,
    ]);
    expect(message).toMatch(/enter the code \S+/);
    expect(account.username).toBe(user);
    expect((await auth.imapCredentials()).user).toBe(user);
  });
});
