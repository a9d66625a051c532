import type { ErrorCode } from '../../shared/errors.js';

/**
 * What the command line user can do about an engine error, in this host's own terms (its flags and
 * URL forms). The engine's message states the facts; this sentence follows it on the same line.
 */
const HINTS: Partial<Record<ErrorCode, string>> = {
  'tls-untrusted': 'If this server uses a private certificate authority, pass its certificate with --ca FILE.',
  'tls-name-mismatch': 'Use a host name the certificate is made for in the URL.',
  'tls-expired': "The server's certificate must be renewed by its administrator; also check this computer's date and time.",
  'plaintext-on-tls-port': "Use imap:// (STARTTLS) for this port, or imaps:// with the server's TLS port (usually 993).",
  'tls-on-plaintext-port': 'Use imaps:// for this port.',
  'tls-failed': 'Check the port and the TLS mode (imaps:// for port 993, imap:// for 143).',
  'not-imap': 'Check the host name and the port.',
  'host-unreachable': 'Check the host name, the port and your network.',
  'outlook-file-protected': 'Remove the password in Outlook (File > Account Settings > Data Files > Settings > Change Password) and run the command again.',
  'outlook-file-unreadable': "If this is Outlook's data file, close Outlook and check it with Outlook's Inbox Repair Tool (scanpst.exe); or export contacts and calendar from Outlook as CSV and .ics.",
  'not-signed-in': 'Run "cutover login" first.',
  'sign-in-required': 'Run "cutover login" again.',
  'consent-required': 'Run "cutover login" and accept the permissions Microsoft lists.',
  'admin-consent-required': 'Send your administrator the admin-consent link from the README section "Microsoft 365 app registration".',
  'wrong-tenant': 'Pass your tenant ID or domain with "cutover login --tenant", or check --client-id.',
  'conditional-access': 'Ask your administrator, or sign in from a device the policy allows.',
  'oauth-host-refused': 'Leave out --host to check smtp.office365.com, or set CUTOVER_SMTP_PASSWORD to check another server with a password.',
};

export function cliHint(code: ErrorCode): string | null {
  return HINTS[code] ?? null;
}
