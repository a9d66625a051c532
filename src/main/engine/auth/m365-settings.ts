import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CutoverError } from '../../../shared/errors.js';
import { isDomainName } from '../net/host-name.js';

/** Delegated permissions Cutover asks for (see README "Microsoft 365 app registration"). */
export const GRAPH_SCOPES = ['User.Read', 'Mail.ReadWrite', 'Contacts.ReadWrite', 'Calendars.ReadWrite', 'MailboxSettings.Read'];
/** The Exchange Online IMAP permission: the full resource URL is mandatory for IMAP scopes. */
export const IMAP_SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All';
/** Exchange Online SMTP AUTH with XOAUTH2 (the cutover day's SMTP check); same resource as IMAP. */
export const SMTP_SCOPE = 'https://outlook.office.com/SMTP.Send';
/**
 * Reading the tenant's domains (the DNS check's expected MX, /domains/{name}/serviceConfigurationRecords).
 * Only an administrator may consent to it, and reading also takes a directory role (Domain Name
 * Administrator, Global Reader…): https://learn.microsoft.com/en-us/graph/api/domain-list-serviceconfigurationrecords
 */
export const DOMAIN_SCOPE = 'Domain.Read.All';

/**
 * What Cutover gets tokens for, each a set of scopes of ONE resource: Entra refuses a token request
 * whose scopes span two resources (AADSTS28000, "contains more than one resource":
 * https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/1487), and an access
 * token is only ever valid for one audience. To add a permission (e.g. SMTP.Send for Exchange
 * Online, https://outlook.office.com/SMTP.Send), add a set here and to CONSENTED_AT_SIGN_IN.
 */
export const SCOPE_SETS = {
  graph: GRAPH_SCOPES,
  imap: [IMAP_SCOPE],
  /** Asked for only when the user runs the SMTP AUTH check (cutover day), never at sign-in. */
  smtp: [SMTP_SCOPE],
  /** Microsoft Graph again, but asked for only when the DNS check reads the expected MX, never at sign-in. */
  domains: [DOMAIN_SCOPE],
} as const satisfies Record<string, readonly string[]>;
export type ScopeSet = keyof typeof SCOPE_SETS;

/**
 * Sets consented to at sign-in besides Graph (the first token every sign-in asks for). SMTP.Send is
 * not among them: the SMTP check is optional, and asking for it at every sign-in would make tenants
 * whose admin approved only the copy's permissions ask for approval again.
 */
export const CONSENTED_AT_SIGN_IN: readonly ScopeSet[] = ['imap'];

export interface M365Settings {
  clientId: string;
  /** "organizations", "common", a tenant GUID or a verified domain. */
  tenant: string;
  /**
   * MSAL's home account id of the account that signed in last: tokens are always for exactly this
   * account, never for whichever account the token cache happens to list first.
   */
  homeAccountId?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const settingsSchema = z.object({ clientId: z.string().regex(GUID), tenant: z.string().min(1), homeAccountId: z.string().min(1).optional() });

export function validateClientId(clientId: string): string {
  if (!GUID.test(clientId)) {
    throw new CutoverError({ code: 'usage', message: `The client ID "${clientId}" is not a GUID (it looks like 11111111-2222-3333-4444-555555555555 in the app registration's overview).`, retryable: false });
  }
  return clientId.toLowerCase();
}

export function validateTenant(tenant: string): string {
  const t = tenant.trim();
  if (t === 'organizations' || t === 'common' || GUID.test(t) || isDomainName(t)) return t.toLowerCase();
  throw new CutoverError({ code: 'usage', message: `The tenant "${tenant}" is not "organizations", "common", a tenant ID (GUID) or a domain name.`, retryable: false });
}

/**
 * The sign-in authority: `override` (any OpenID provider, given by the host: the tests, admins who
 * front Entra with a proxy) replaces Microsoft's login.microsoftonline.com/<tenant>.
 */
export function authorityFor(settings: M365Settings, override?: string): { authority: string; microsoft: boolean } {
  if (override) return { authority: override.replace(/\/$/, ''), microsoft: false };
  return { authority: `https://login.microsoftonline.com/${settings.tenant}`, microsoft: true };
}

export function settingsFile(stateDir: string): string {
  return join(stateDir, 'm365.json');
}

export function tokenCacheFile(stateDir: string): string {
  return join(stateDir, 'm365-token-cache.json');
}

export function loadSettings(stateDir: string): M365Settings | null {
  let text: string;
  try {
    text = readFileSync(settingsFile(stateDir), 'utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) {
    throw new CutoverError({ code: 'state-corrupt', message: `The Microsoft 365 sign-in settings ${settingsFile(stateDir)} are damaged; signing in again replaces them.`, retryable: false, facts: { file: settingsFile(stateDir) } });
  }
  const { homeAccountId, ...rest } = parsed.data;
  return homeAccountId ? { ...rest, homeAccountId } : rest;
}

/**
 * Where an administrator grants permissions to the app for the whole organisation (Entra's v2
 * admin-consent endpoint), for the configured authority and the signed-in account's tenant.
 */
export function adminConsentUrl(settings: M365Settings, scopes: readonly string[], tenantId: string | null): string {
  const { authority, microsoft } = authorityFor(settings);
  const base = microsoft ? `https://login.microsoftonline.com/${encodeURIComponent(tenantId ?? settings.tenant)}` : authority;
  const full = scopes.map((s) => (s.includes('://') ? s : `https://graph.microsoft.com/${s}`));
  return `${base}/v2.0/adminconsent?client_id=${encodeURIComponent(settings.clientId)}&scope=${full.map(encodeURIComponent).join('%20')}&redirect_uri=${encodeURIComponent('http://localhost')}`;
}

export function saveSettings(stateDir: string, settings: M365Settings): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(settingsFile(stateDir), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}
