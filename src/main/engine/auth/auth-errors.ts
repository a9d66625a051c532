import { AuthError } from '@azure/msal-node';
import { CutoverError, isCutoverError, type ErrorCode } from '../../../shared/errors.js';

/**
 * Entra (AADSTS) and OAuth error codes mapped to a stable code and the facts. Messages name the
 * Entra code so an admin can look it up; they never contain a token, and never say which button or
 * command to use (each host words that). Each AADSTS code appears in one rule only: the first match
 * wins, so a code listed twice would make the later rule dead (a test checks).
 */
const KNOWN: { match: RegExp; code: ErrorCode; message: string }[] = [
  // One token request may name only one resource; asking for two is a bug of ours, not the user's.
  { match: /AADSTS28000/, code: 'internal', message: 'Microsoft 365 refused a token request that named two resources at once; this is a bug in Cutover.' },
  { match: /AADSTS65001|consent_required/, code: 'consent-required', message: "Microsoft 365 has no consent yet for one of Cutover's permissions." },
  {
    match: /AADSTS90094|AADSTS90008|AADSTS900941|admin_consent/,
    code: 'admin-consent-required',
    message: 'The organisation requires an administrator to approve Cutover before anyone can sign in with it.',
  },
  { match: /AADSTS50194|AADSTS700016|AADSTS90002|AADSTS50020/, code: 'wrong-tenant', message: 'This app registration does not accept sign-ins from this organisation (the tenant or the client ID does not fit).' },
  { match: /AADSTS53003|AADSTS53000|AADSTS53001|AADSTS530003/, code: 'conditional-access', message: "The organisation's Conditional Access policy blocked this sign-in (for example an unmanaged device or a blocked device code flow)." },
  // AADSTS65004: the user declined the consent screen (not an admin requirement).
  { match: /access_denied|AADSTS65004|user_cancel|AADSTS50126/, code: 'user-cancelled', message: 'Sign-in was cancelled or declined in the browser.' },
  { match: /invalid_grant|AADSTS70008|AADSTS700082|interaction_required|login_required/, code: 'sign-in-required', message: 'The Microsoft 365 sign-in has expired.' },
];

/** The rules, for the test that checks no AADSTS code is matched by two of them. */
export const AUTH_ERROR_RULES: readonly { match: RegExp; code: ErrorCode }[] = KNOWN;

export function toAuthError(err: unknown): CutoverError {
  if (isCutoverError(err)) return err;
  const text = err instanceof AuthError ? `${err.errorCode} ${err.errorMessage} ${err.subError ?? ''}` : String((err as Error)?.message ?? err);
  for (const k of KNOWN) {
    if (k.match.test(text)) {
      const code = /AADSTS\d+/.exec(text)?.[0];
      return new CutoverError({ code: k.code, message: code ? `${k.message} (${code})` : k.message, retryable: false, detail: firstLine(text) }, { cause: err });
    }
  }
  const network = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|network|fetch failed/i.test(text);
  return new CutoverError(
    { code: network ? 'host-unreachable' : 'internal', message: `Microsoft 365 sign-in failed: ${firstLine(text)}`, retryable: network },
    { cause: err },
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
