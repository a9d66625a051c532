import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { M365Auth, type DeviceCodePrompt } from '../../src/main/engine/auth/m365-auth.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { SourceReader } from '../../src/main/engine/imap/source-reader.js';
import { addUser } from '../harness/dovecot.js';
import { FakeBrowser } from '../harness/fake-browser.js';
import { introspect, postForm, refreshTokenIn } from '../harness/m365.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');

function newAuth(clientId = oidc.clientId): { auth: M365Auth; cacheFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-auth-'));
  const cacheFile = join(dir, 'm365-token-cache.json');
  return { auth: new M365Auth({ clientId, tenant: 'organizations' }, new FileSecretStore(cacheFile), { authority: oidc.issuer }), cacheFile };
}

/** Device code sign-in with the fake browser typing every code it is shown; returns the prompts. */
async function deviceCodeSignIn(auth: M365Auth, user: string, browser = new FakeBrowser(readFileSync(dovecot.caFile, 'utf8'))) {
  const prompts: DeviceCodePrompt[] = [];
  let fail: (err: unknown) => void = () => undefined;
  const browserFailed = new Promise<never>((_, reject) => (fail = reject));
  const account = await Promise.race([
    auth.signInWithDeviceCode((prompt) => {
      prompts.push(prompt);
      browser.enterDeviceCode(prompt.verificationUri, prompt.userCode, user).catch(fail);
    }),
    browserFailed,
  ]);
  return { account, prompts };
}

/** Runs a sign-in while the fake browser acts; a browser failure fails the test instead of hanging it. */
async function withBrowser<T>(start: (open: (url: string) => Promise<void>) => Promise<T>, act: (url: string) => Promise<void>): Promise<T> {
  let fail: (err: unknown) => void = () => undefined;
  const browserFailed = new Promise<never>((_, reject) => (fail = reject));
  return Promise.race([start(async (url) => void act(url).catch(fail)), browserFailed]);
}

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
    const session = await SourceReader.connect({ host: '127.0.0.1', port: dovecot.imapsPort, user, tls: 'implicit' }, { accessToken: imap.accessToken }, { role: 'target', caFile: dovecot.caFile });
    expect((await session.listFolders(false)).map((f) => f.path)).toContain('INBOX');
    await session.logout();

    // The persisted cache is private to the user, and a new instance is still signed in.
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    const again = new M365Auth({ clientId: oidc.clientId, tenant: 'organizations' }, new FileSecretStore(cacheFile), { authority: oidc.issuer });
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

  it('signs in with the device code flow: one code when the app has admin consent, each token for its own resource', async () => {
    const user = addUser(dovecot, 'm365d', { m365: true });
    const { auth } = newAuth();
    const { account, prompts } = await deviceCodeSignIn(auth, user);
    expect(prompts.map((p) => [p.scopeSet, p.reason])).toEqual([['graph', null]]);
    expect(prompts[0]!.message).toMatch(/enter the code \S+/);
    expect(account.username).toBe(user);
    expect((await auth.imapCredentials()).user).toBe(user);
    // One resource per token, named in its audience (a Graph token is no IMAP token and vice versa).
    expect(await introspect(oidc, dovecot.caFile, await auth.graphToken())).toMatchObject({ active: true, sub: user, aud: 'https://graph.microsoft.com' });
    expect(await introspect(oidc, dovecot.caFile, (await auth.imapCredentials()).accessToken)).toMatchObject({ active: true, sub: user, aud: 'https://outlook.office.com' });
  });

  it('asks for a second code, saying why, when nobody consented to IMAP yet', async () => {
    const user = addUser(dovecot, 'm365d', { m365: true });
    const { auth } = newAuth(oidc.userConsentClientId);
    const { account, prompts } = await deviceCodeSignIn(auth, user);
    expect(account.username).toBe(user);
    expect(prompts.map((p) => p.scopeSet)).toEqual(['graph', 'imap']);
    expect(prompts[1]!.reason).toMatch(/IMAP.*not granted yet/);
    expect(prompts[1]!.userCode).not.toBe(prompts[0]!.userCode);
    const imap = await auth.imapCredentials();
    const session = await SourceReader.connect({ host: '127.0.0.1', port: dovecot.imapsPort, user, tls: 'implicit' }, { accessToken: imap.accessToken }, { role: 'target', caFile: dovecot.caFile });
    await session.logout();
    // The refresh token from the second round still serves Graph, as Entra's does.
    expect(await introspect(oidc, dovecot.caFile, await auth.graphToken(true))).toMatchObject({ active: true, aud: 'https://graph.microsoft.com' });
  });

  it('is refused by the provider, like Entra (AADSTS28000), when one token request names two resources', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const { auth, cacheFile } = newAuth();
    await deviceCodeSignIn(auth, user);
    const mixed = await postForm(`${oidc.issuer}/token`, dovecot.caFile, {
      grant_type: 'refresh_token',
      client_id: oidc.clientId,
      refresh_token: refreshTokenIn(cacheFile),
      scope: 'User.Read https://outlook.office.com/IMAP.AccessAsUser.All openid profile',
    });
    expect(mixed.status).toBe(400);
    expect(JSON.parse(mixed.body).error_description).toMatch(/^AADSTS28000: .*more than one resource/);
  });

  it('uses exactly the account that signed in last, and signing out removes only that one', async () => {
    const first = addUser(dovecot, 'm365', { m365: true });
    const second = addUser(dovecot, 'm365', { m365: true });
    const { auth, cacheFile } = newAuth();
    await deviceCodeSignIn(auth, first);
    const signedInSecond = await deviceCodeSignIn(auth, second);
    // Both accounts are in the shared cache now; every token must be the second one's.
    expect((await auth.imapCredentials()).user).toBe(second);
    expect(await introspect(oidc, dovecot.caFile, await auth.graphToken())).toMatchObject({ sub: second });
    const reopened = new M365Auth({ clientId: oidc.clientId, tenant: 'organizations', homeAccountId: signedInSecond.account.homeAccountId }, new FileSecretStore(cacheFile), { authority: oidc.issuer });
    expect((await reopened.signedIn())?.username).toBe(second);
    await reopened.signOut();
    expect(await reopened.signedIn()).toBeNull();
    await expect(reopened.graphToken()).rejects.toMatchObject({ code: 'not-signed-in' });
    // The first account's sign-in is still there for whoever holds its id; it was not this sign-out's.
    const other = new M365Auth({ clientId: oidc.clientId, tenant: 'organizations' }, new FileSecretStore(cacheFile), { authority: oidc.issuer });
    expect((await other.signedIn())?.username).toBe(first);
  });
});
