import {
  AuthError,
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
import { adminConsentUrl, authorityFor, CONSENTED_AT_SIGN_IN, SCOPE_SETS, type M365Settings, type ScopeSet } from './m365-settings.js';
import type { SecretStore } from './secret-store.js';

export interface SignedInAccount {
  username: string;
  name: string | null;
  tenantId: string | null;
  /** MSAL's id of this account in the token cache (not a secret); remembered with the settings. */
  homeAccountId: string;
}

export interface DeviceCodePrompt {
  message: string;
  userCode: string;
  verificationUri: string;
  /** What this code grants: Graph first; another set only when its consent was still missing. */
  scopeSet: ScopeSet;
  /** Why a further code is asked for (null for the first one): a fact the host may show as is. */
  reason: string | null;
}

/**
 * How a host lets the user consent to one more permission after sign-in: in the browser (the
 * sign-in page asks for it; `reason` says why) or with a device code (the prompt carries the reason).
 */
export type ConsentRound =
  | { kind: 'browser'; openBrowser: (url: string, reason: string) => Promise<void> }
  | { kind: 'device-code'; show: (prompt: DeviceCodePrompt) => void };

/** Renew a token this long before it expires, so a long IMAP session never runs on a dead one. */
const EARLY_RENEWAL_SECONDS = 300;

const SECOND_ROUND_REASON: Record<ScopeSet, string> = {
  graph: '',
  imap: 'Access to the mailbox over IMAP is a separate Microsoft 365 permission (Exchange Online) that was not granted yet; this second code grants it.',
  smtp: 'Sending through SMTP AUTH is a separate Microsoft 365 permission (Exchange Online) that was not granted yet; this code grants it.',
  domains: "Reading the domain's DNS records in Microsoft 365 is a separate permission (Domain.Read.All, which only an administrator may grant) that was not granted yet; this code grants it.",
};

/** The same facts for a consent round in the browser. */
const BROWSER_ROUND_REASON: Record<ScopeSet, string> = {
  graph: '',
  imap: 'Access to the mailbox over IMAP is a separate Microsoft 365 permission (Exchange Online) that was not granted yet; the sign-in page asks for it.',
  smtp: 'Sending through SMTP AUTH is a separate Microsoft 365 permission (Exchange Online) that was not granted yet; the sign-in page asks for it.',
  domains: "Reading the domain's DNS records in Microsoft 365 is a separate permission (Domain.Read.All, which only an administrator may grant) that was not granted yet; the sign-in page asks for it.",
};

/**
 * Microsoft 365 sign-in with MSAL Node (public client): authorization code + PKCE through a loopback
 * redirect opened in the system browser, or the device code flow. Every token request is for one
 * resource (SCOPE_SETS); tokens for the others come silently from the same refresh token, which Entra
 * issues for every resource consented to. Tokens are always for the account that signed in (its
 * home account id), never "the first account in the cache". They live only in MSAL's cache,
 * persisted through a SecretStore, and are never logged.
 */
export class M365Auth {
  private readonly pca: PublicClientApplication;
  private readonly microsoft: boolean;
  /** The account that signed in; null after sign-out; undefined when settings predate keeping it. */
  private homeAccountId: string | null | undefined;

  constructor(
    readonly settings: M365Settings,
    private readonly store: SecretStore,
    /** An OpenID provider replacing Microsoft's sign-in (the host's configuration; the tests). */
    options: { authority?: string } = {},
  ) {
    const { authority, microsoft } = authorityFor(settings, options.authority);
    this.microsoft = microsoft;
    this.homeAccountId = settings.homeAccountId;
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
      scopes: [...SCOPE_SETS.graph],
      // Consent to the other resources up front (the authorize endpoint accepts several); their
      // tokens are fetched silently later, one resource per token request.
      extraScopesToConsent: CONSENTED_AT_SIGN_IN.flatMap((s) => SCOPE_SETS[s]),
      openBrowser,
      // Entra lets the user pick among signed-in accounts; plain OpenID providers know no such prompt.
      ...(this.microsoft ? { prompt: 'select_account' } : {}),
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      successTemplate: '<h1>Signed in to Cutover</h1><p>You can close this window and go back to Cutover.</p>',
      errorTemplate: '<h1>Sign-in did not complete</h1><p>Go back to Cutover to see why.</p>',
    });
    return this.remember(await this.withCancel(attempt, options.signal));
  }

  /**
   * Device code sign-in for terminals and headless machines (many tenants block it). The device code
   * grant has no "extra scopes to consent", and a token request may name only one resource, so the
   * code is for Graph; the other sets are then fetched silently, and only where the user (or admin)
   * never consented to one does a further code follow, for that set alone, with the reason.
   */
  async signInWithDeviceCode(show: (prompt: DeviceCodePrompt) => void, signal?: AbortSignal): Promise<SignedInAccount> {
    const account = this.remember(await this.deviceCodeRound('graph', show, signal));
    for (const set of CONSENTED_AT_SIGN_IN) {
      try {
        await this.acquireSilent(set, false);
      } catch (err) {
        if (!consentMissing(err)) throw wordSilentError(err);
        const again = await this.deviceCodeRound(set, show, signal);
        if (again.account?.homeAccountId !== account.homeAccountId) {
          throw new CutoverError({
            code: 'account-mismatch',
            message: `The second code was entered as ${again.account?.username ?? 'another account'}, not ${account.username}; sign in again with one account.`,
            retryable: false,
          });
        }
      }
    }
    return account;
  }

  /**
   * A token for one set of scopes; where nobody consented to that set yet (Entra: AADSTS65001,
   * consent_required), one consent round for that set alone, for the account that signed in, in
   * the way the host can show (`round`; none: the missing consent is reported as 'consent-required').
   * Where the user may not consent (AADSTS90094) the round fails with 'admin-consent-required'.
   */
  async tokenWithConsent(set: ScopeSet, round: ConsentRound | null, signal?: AbortSignal): Promise<AuthenticationResult> {
    try {
      return await this.acquireSilent(set, false);
    } catch (err) {
      if (!consentMissing(err) || !round) throw wordSilentError(err);
    }
    const account = await this.account();
    if (!account) throw notSignedIn();
    const result =
      round.kind === 'device-code'
        ? await this.deviceCodeRound(set, round.show, signal)
        : await this.withCancel(
            this.pca.acquireTokenInteractive({
              scopes: [...SCOPE_SETS[set]],
              openBrowser: (url) => round.openBrowser(url, BROWSER_ROUND_REASON[set]),
              loginHint: account.username,
              successTemplate: '<h1>Permission granted to Cutover</h1><p>You can close this window and go back to Cutover.</p>',
              errorTemplate: '<h1>The permission was not granted</h1><p>Go back to Cutover to see why.</p>',
            }),
            signal,
          );
    if (result.account?.homeAccountId !== account.homeAccountId) {
      throw new CutoverError({
        code: 'account-mismatch',
        message: `The permission was granted as ${result.account?.username ?? 'another account'}, not ${account.username}, who is signed in.`,
        retryable: false,
      });
    }
    return result;
  }

  /** The address at which an administrator grants a set of permissions to Cutover for the whole organisation. */
  async adminConsentUrl(set: ScopeSet): Promise<string> {
    const tenantId = (await this.account())?.tenantId || null;
    return adminConsentUrl(this.settings, SCOPE_SETS[set], tenantId);
  }

  /** The signed-in account: exactly the one that signed in, or null. */
  async account(): Promise<AccountInfo | null> {
    const cache = this.pca.getTokenCache();
    if (this.homeAccountId) return cache.getAccountByHomeId(this.homeAccountId);
    if (this.homeAccountId === null) return null;
    // Settings written before the home account id was kept: only an unambiguous cache is trusted.
    const all = await cache.getAllAccounts();
    return all.length === 1 ? all[0]! : null;
  }

  async signedIn(): Promise<SignedInAccount | null> {
    const a = await this.account();
    return a ? accountOf(a) : null;
  }

  /** A token for one set of scopes, renewed silently when close to expiry. */
  async token(set: ScopeSet, forceRefresh = false): Promise<AuthenticationResult> {
    try {
      return await this.acquireSilent(set, forceRefresh);
    } catch (err) {
      throw wordSilentError(err);
    }
  }

  /** A Graph access token, renewed silently when close to expiry. */
  async graphToken(forceRefresh = false): Promise<string> {
    return (await this.token('graph', forceRefresh)).accessToken;
  }

  /** An Exchange IMAP access token plus the user name XOAUTH2 needs. */
  async imapCredentials(forceRefresh = false): Promise<{ user: string; accessToken: string; expiresOn: Date | null }> {
    const result = await this.token('imap', forceRefresh);
    return { user: result.account?.username ?? '', accessToken: result.accessToken, expiresOn: result.expiresOn };
  }

  /**
   * An Exchange Online SMTP AUTH (XOAUTH2) access token. Not consented at sign-in (see
   * CONSENTED_AT_SIGN_IN): without consent this fails with 'consent-required'.
   */
  async smtpToken(forceRefresh = false): Promise<string> {
    return (await this.token('smtp', forceRefresh)).accessToken;
  }

  /**
   * Signs out the account that signed in: its tokens leave the cache, and the persisted cache is
   * deleted once no account is left in it. Other accounts' tokens (another sign-in sharing this
   * cache) are not this sign-out's to remove.
   */
  async signOut(): Promise<void> {
    const cache = this.pca.getTokenCache();
    const account = await this.account();
    if (account) await cache.removeAccount(account);
    this.homeAccountId = null;
    if ((await cache.getAllAccounts()).length === 0) await this.store.remove();
  }

  private remember(result: AuthenticationResult): SignedInAccount {
    if (!result.account) throw new CutoverError({ code: 'internal', message: 'The sign-in returned no account.', retryable: false });
    this.homeAccountId = result.account.homeAccountId;
    return accountOf(result.account);
  }

  private async deviceCodeRound(set: ScopeSet, show: (prompt: DeviceCodePrompt) => void, signal: AbortSignal | undefined): Promise<AuthenticationResult> {
    const attempt = this.pca.acquireTokenByDeviceCode({
      scopes: [...SCOPE_SETS[set]],
      deviceCodeCallback: (r) =>
        show({
          // Entra sends a ready sentence; other providers only the parts.
          message: r.message || `To sign in, open ${r.verificationUri} in a browser and enter the code ${r.userCode}.`,
          userCode: r.userCode,
          verificationUri: r.verificationUri,
          scopeSet: set,
          reason: set === 'graph' ? null : SECOND_ROUND_REASON[set],
        }),
    });
    return this.withCancel(
      attempt.then((r) => {
        if (!r) throw new CutoverError({ code: 'user-cancelled', message: 'The device code sign-in was not completed.', retryable: false });
        return r;
      }),
      signal,
    );
  }

  private async acquireSilent(set: ScopeSet, forceRefresh: boolean): Promise<AuthenticationResult> {
    const account = await this.account();
    if (!account) throw notSignedIn();
    const scopes = [...SCOPE_SETS[set]];
    let result = await this.pca.acquireTokenSilent({ account, scopes, forceRefresh });
    if (!forceRefresh && result.expiresOn && result.expiresOn.getTime() - Date.now() < EARLY_RENEWAL_SECONDS * 1000) {
      result = await this.pca.acquireTokenSilent({ account, scopes, forceRefresh: true });
    }
    return result;
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

/** Entra's answer when nobody consented to a resource yet: AADSTS65001 with the consent_required sub-error. */
function consentMissing(err: unknown): boolean {
  return err instanceof AuthError && (err.subError === 'consent_required' || /AADSTS65001|consent_required/.test(`${err.errorCode} ${err.errorMessage}`));
}

/** Facts only: each host says what to do about a code (the CLI names its command, the app its step). */
function wordSilentError(err: unknown): CutoverError {
  if (err instanceof InteractionRequiredAuthError) {
    const detail = `${err.errorCode} ${err.subError ?? ''}`.trim();
    if (consentMissing(err)) {
      return new CutoverError({ code: 'consent-required', message: "Microsoft 365 has no consent yet for one of Cutover's permissions.", retryable: false, detail }, { cause: err });
    }
    return new CutoverError({ code: 'sign-in-required', message: 'Microsoft 365 asks for a new sign-in.', retryable: false, detail }, { cause: err });
  }
  return toAuthError(err);
}

function notSignedIn(): CutoverError {
  return new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365.', retryable: false });
}

function accountOf(a: AccountInfo): SignedInAccount {
  return { username: a.username, name: a.name ?? null, tenantId: a.tenantId || null, homeAccountId: a.homeAccountId };
}

