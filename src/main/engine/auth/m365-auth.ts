import {
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type ICachePlugin,
  type TokenCacheContext,
} from '@azure/msal-node';
import { CutoverError } from '../../../shared/errors.js';
import { toAuthError } from './auth-errors.js';
import { authorityFor, GRAPH_SCOPES, IMAP_SCOPE, SMTP_SCOPE, type M365Settings } from './m365-settings.js';
import type { SecretStore } from './secret-store.js';

export interface SignedInAccount {
  username: string;
  name: string | null;
  tenantId: string | null;
}

export interface DeviceCodePrompt {
  message: string;
  userCode: string;
  verificationUri: string;
}

/** Renew a token this long before it expires, so a long IMAP session never runs on a dead one. */
const EARLY_RENEWAL_SECONDS = 300;

/**
 * Microsoft 365 sign-in with MSAL Node (public client): authorization code + PKCE through a loopback
 * redirect opened in the system browser, or the device code flow. One sign-in consents to Graph and
 * to Exchange IMAP; afterwards tokens for each resource come silently from the refresh token.
 * Tokens live only in MSAL's cache, persisted through a SecretStore; they are never logged.
 */
export class M365Auth {
  private readonly pca: PublicClientApplication;
  private readonly microsoft: boolean;

  constructor(
    readonly settings: M365Settings,
    private readonly store: SecretStore,
  ) {
    const { authority, microsoft } = authorityFor(settings);
    this.microsoft = microsoft;
    const cachePlugin: ICachePlugin = {
      beforeCacheAccess: async (ctx: TokenCacheContext) => {
        const text = await this.store.read().catch(() => null);
        // An unreadable cache (keychain reset, copied profile) is an empty one: sign in again.
        if (text) {
          try {
            ctx.tokenCache.deserialize(text);
          } catch {
            // ignore: treated as signed out
          }
        }
      },
      afterCacheAccess: async (ctx: TokenCacheContext) => {
        if (ctx.cacheHasChanged) await this.store.write(ctx.tokenCache.serialize());
      },
    };
    this.pca = new PublicClientApplication({
      auth: {
        clientId: settings.clientId,
        authority,
        ...(microsoft ? {} : { knownAuthorities: [new URL(authority).host] }),
      },
      cache: { cachePlugin },
      system: {
        ...(microsoft ? {} : { protocolMode: 'OIDC' as const }),
        loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
      },
    });
  }

  /** Interactive sign-in in the system browser. `openBrowser` receives the sign-in URL. */
  async signInInteractive(openBrowser: (url: string) => Promise<void>, options: { loginHint?: string; signal?: AbortSignal } = {}): Promise<SignedInAccount> {
    const attempt = this.pca.acquireTokenInteractive({
      scopes: GRAPH_SCOPES,
      // Consent to the Outlook resource up front; its token is fetched silently later (MSAL
      // cannot return tokens for two resources from one request).
      extraScopesToConsent: [IMAP_SCOPE, SMTP_SCOPE],
      openBrowser,
      // Entra lets the user pick among signed-in accounts; plain OpenID providers know no such prompt.
      ...(this.microsoft ? { prompt: 'select_account' } : {}),
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      successTemplate: '<h1>Signed in to Cutover</h1><p>You can close this window and go back to Cutover.</p>',
      errorTemplate: '<h1>Sign-in did not complete</h1><p>Go back to Cutover to see why.</p>',
    });
    const result = await this.withCancel(attempt, options.signal);
    return accountOf(result);
  }

  /** Device code sign-in for terminals and headless machines (many tenants block it). */
  async signInWithDeviceCode(show: (prompt: DeviceCodePrompt) => void, signal?: AbortSignal): Promise<SignedInAccount> {
    const attempt = this.pca.acquireTokenByDeviceCode({
      scopes: [...GRAPH_SCOPES, IMAP_SCOPE, SMTP_SCOPE],
      deviceCodeCallback: (r) =>
        show({
          // Entra sends a ready sentence; other providers only the parts.
          message: r.message || `To sign in, open ${r.verificationUri} in a browser and enter the code ${r.userCode}.`,
          userCode: r.userCode,
          verificationUri: r.verificationUri,
        }),
    });
    const result = await this.withCancel(attempt.then((r) => {
      if (!r) throw new CutoverError({ code: 'user-cancelled', message: 'The device code sign-in was not completed.', retryable: false });
      return r;
    }), signal);
    return accountOf(result);
  }

  async account(): Promise<AccountInfo | null> {
    const accounts = await this.pca.getTokenCache().getAllAccounts();
    return accounts[0] ?? null;
  }

  async signedIn(): Promise<SignedInAccount | null> {
    const a = await this.account();
    return a ? { username: a.username, name: a.name ?? null, tenantId: a.tenantId || null } : null;
  }

  /** A Graph access token, renewed silently when close to expiry. */
  async graphToken(forceRefresh = false): Promise<string> {
    return (await this.silent(GRAPH_SCOPES, forceRefresh)).accessToken;
  }

  /** An Exchange IMAP access token plus the user name XOAUTH2 needs. */
  async imapCredentials(forceRefresh = false): Promise<{ user: string; accessToken: string; expiresOn: Date | null }> {
    const result = await this.silent([IMAP_SCOPE], forceRefresh);
    return { user: result.account?.username ?? '', accessToken: result.accessToken, expiresOn: result.expiresOn };
  }

  /** An Exchange Online SMTP AUTH (XOAUTH2) access token, consented at sign-in with the IMAP one. */
  async smtpToken(forceRefresh = false): Promise<string> {
    return (await this.silent([SMTP_SCOPE], forceRefresh)).accessToken;
  }

  /** Removes the account and the whole persisted token cache. */
  async signOut(): Promise<void> {
    const cache = this.pca.getTokenCache();
    for (const a of await cache.getAllAccounts()) await cache.removeAccount(a);
    await this.store.remove();
  }

  private async silent(scopes: string[], forceRefresh: boolean): Promise<AuthenticationResult> {
    const account = await this.account();
    if (!account) {
      throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365: run "cutover login" first.', retryable: false });
    }
    try {
      let result = await this.pca.acquireTokenSilent({ account, scopes, forceRefresh });
      if (!forceRefresh && result.expiresOn && result.expiresOn.getTime() - Date.now() < EARLY_RENEWAL_SECONDS * 1000) {
        result = await this.pca.acquireTokenSilent({ account, scopes, forceRefresh: true });
      }
      return result;
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError) {
        throw new CutoverError({ code: 'sign-in-required', message: `Microsoft 365 needs you to sign in again (${err.errorCode}): run "cutover login".`, retryable: false }, { cause: err });
      }
      throw toAuthError(err);
    }
  }

  private async withCancel<T>(attempt: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    attempt.catch(() => undefined);
    const cancelled = new Promise<never>((_, reject) => {
      const fail = (): void => reject(new CutoverError({ code: 'user-cancelled', message: 'Sign-in was cancelled.', retryable: false }));
      if (signal?.aborted) fail();
      signal?.addEventListener('abort', fail, { once: true });
    });
    try {
      return await Promise.race([attempt, cancelled]);
    } catch (err) {
      throw toAuthError(err);
    }
  }
}

function accountOf(result: AuthenticationResult): SignedInAccount {
  const a = result.account;
  if (!a) throw new CutoverError({ code: 'internal', message: 'The sign-in returned no account.', retryable: false });
  return { username: a.username, name: a.name ?? null, tenantId: a.tenantId || null };
}
