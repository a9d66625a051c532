/**
 * The message a person sends their Microsoft 365 administrator when Cutover has no app registration
 * (client ID) to sign in with: the registration, its redirect URI, the permissions and the
 * admin-consent link for their organisation. The permissions must be the ones the engine asks for
 * (src/main/engine/auth/m365-settings.ts GRAPH_SCOPES and IMAP_SCOPE): a test holds them together.
 */
export const ADMIN_GRAPH_PERMISSIONS = ['User.Read', 'Mail.ReadWrite', 'Contacts.ReadWrite', 'Calendars.ReadWrite', 'MailboxSettings.Read', 'offline_access'];
export const ADMIN_IMAP_PERMISSION = 'https://outlook.office.com/IMAP.AccessAsUser.All';
export const REDIRECT_URI = 'http://localhost';

/** The admin-consent address for a tenant (domain or ID); the client ID is filled in by the admin when unknown. */
export function adminConsentLink(tenant: string, clientId: string | null): string {
  const scopes = [...ADMIN_GRAPH_PERMISSIONS.filter((p) => p !== 'offline_access').map((p) => `https://graph.microsoft.com/${p}`), ADMIN_IMAP_PERMISSION];
  const query = `client_id=${clientId ?? 'APPLICATION-CLIENT-ID'}&scope=${scopes.map(encodeURIComponent).join('%20')}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`;
  return `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/v2.0/adminconsent?${query}`;
}

export function adminMessage(options: { address: string | null; tenant: string | null }): string {
  const tenant = options.tenant ?? 'YOUR-TENANT (our domain or tenant ID)';
  const who = options.address ? ` (${options.address})` : '';
  return [
    'Hello,',
    '',
    `I would like to move my old mailbox into my Microsoft 365 mailbox${who} with Cutover, a program that runs on my computer. It needs an app registration in our Microsoft Entra ID, a one-time setup of a few minutes:`,
    '',
    '1. Entra admin center (https://entra.microsoft.com) → Applications → App registrations → New registration.',
    '   Name: Cutover. Supported account types: Accounts in this organizational directory only.',
    `   Redirect URI: platform "Public client/native (mobile & desktop)", URI ${REDIRECT_URI}`,
    '2. Authentication → Allow public client flows: Yes (only needed for signing in with a code).',
    '3. API permissions → Add a permission → Microsoft Graph → Delegated permissions:',
    `   ${ADMIN_GRAPH_PERMISSIONS.join(', ')}`,
    '   Then Add a permission → APIs my organization uses → Office 365 Exchange Online → Delegated permissions:',
    '   IMAP.AccessAsUser.All',
    '   No client secret is needed.',
    '4. If users may not approve apps themselves, click "Grant admin consent", or open this link once step 3 is done',
    '   (with the Application (client) ID filled in):',
    `   ${adminConsentLink(tenant, null)}`,
    `5. IMAP must be allowed for my mailbox: Set-CASMailbox -Identity ${options.address ?? 'MY-ADDRESS'} -ImapEnabled $true`,
    '',
    'Please send me the Application (client) ID from the registration’s Overview page, and our tenant ID (or domain).',
    '',
    'Thank you!',
  ].join('\n');
}
