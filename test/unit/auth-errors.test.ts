import { ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_RULES, toAuthError } from '../../src/main/engine/auth/auth-errors.js';
import { validateClientId, validateTenant } from '../../src/main/engine/auth/m365-settings.js';

describe('turning Entra sign-in errors into advice', () => {
  it.each([
    ['invalid_grant', 'AADSTS65001: The user or administrator has not consented to use the application', 'consent-required'],
    ['invalid_request', 'AADSTS90094: An administrator of Contoso has set a policy that prevents you from granting Cutover the permissions', 'admin-consent-required'],
    ['invalid_request', "AADSTS50194: Application '…' is not configured as a multi-tenant application", 'wrong-tenant'],
    ['access_denied', 'AADSTS53003: Access has been blocked by Conditional Access policies', 'conditional-access'],
    ['access_denied', 'The user has denied access to the scope requested by the client application', 'user-cancelled'],
    ['access_denied', 'AADSTS65004: User declined to consent to access the app.', 'user-cancelled'],
    ['invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired', 'sign-in-required'],
    ['invalid_scope', 'AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource.', 'internal'],
  ])('%s / %s → %s', (code, message, expected) => {
    const err = toAuthError(new ServerError(code, 'correlation-id', message));
    expect(err.code).toBe(expected);
    const aadsts = /AADSTS\d+/.exec(message)?.[0];
    if (aadsts) expect(err.message).toContain(aadsts);
    expect(err.message).not.toMatch(/Provided value|input parameter/);
  });

  it('names each Entra code in one rule only, so no rule is shadowed by an earlier one', () => {
    const seen = new Map<string, string>();
    for (const rule of AUTH_ERROR_RULES) {
      for (const code of rule.match.source.match(/AADSTS\d+/g) ?? []) {
        expect(seen.get(code), `${code} is in the rules for ${seen.get(code)} and ${rule.code}`).toBeUndefined();
        seen.set(code, rule.code);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('validates client IDs and tenants with a reason', () => {
    expect(validateClientId('11111111-2222-3333-4444-555555555555')).toBe('11111111-2222-3333-4444-555555555555');
    expect(() => validateClientId('my-app')).toThrow(/not a GUID/);
    expect(validateTenant('contoso.onmicrosoft.com')).toBe('contoso.onmicrosoft.com');
    expect(validateTenant('organizations')).toBe('organizations');
    expect(() => validateTenant('https://evil.example/')).toThrow(/not "organizations"/);
    // One domain check for every place a person types a domain (net/host-name.ts), punycode top-level domains included.
    expect(validateTenant('Contoso.xn--p1ai')).toBe('contoso.xn--p1ai');
    expect(() => validateTenant('north wind.com')).toThrow(/not "organizations"/);
  });
});
