import type { CutoverErrorData, ErrorCode } from '../../shared/errors.js';

/** The command the error came from, for the few codes whose advice depends on it. */
export interface CliErrorContext {
  command: string;
}

type Worder = (error: CutoverErrorData, context: CliErrorContext) => string;

/** The engine's factual sentence, as it is. */
const facts: Worder = (e) => e.message;
/** The engine's facts, then what the command line user can do, in this host's terms (flags, URL forms). */
const hint =
  (advice: string): Worder =>
  (e) =>
    `${e.message} ${advice}`;

const LOGIN = 'Run "cutover login" again.';

/**
 * The command line's words for every engine error code (the app's are in
 * src/renderer/words/problems.ts). The engine states the facts; this table adds what to do here:
 * which flag, which URL form, which command. A test walks every code.
 */
export const CLI_WORDS: Record<ErrorCode, Worder> = {
  usage: facts,
  'auth-failed': facts,
  'tls-failed': hint('Check the port and the TLS mode (imaps:// for port 993, imap:// for 143).'),
  'tls-untrusted': hint('If this server uses a private certificate authority, pass its certificate with --ca FILE.'),
  'tls-name-mismatch': hint('Use a host name the certificate is made for in the URL.'),
  'tls-expired': hint("The server's certificate must be renewed by its administrator; also check this computer's date and time."),
  'plaintext-on-tls-port': hint("Use imap:// (STARTTLS) for this port, or imaps:// with the server's TLS port (usually 993)."),
  'tls-on-plaintext-port': hint('Use imaps:// for this port.'),
  'not-imap': hint('Check the host name and the port.'),
  'host-unreachable': hint('Check the host name, the port and your network.'),
  'connection-lost': hint('Run the same command again: it continues where it stopped.'),
  timeout: hint('Run the same command again later: it continues where it stopped.'),
  'plaintext-refused': hint('Use imaps:// or imap:// (STARTTLS); ?tls=none is accepted only for this computer (127.0.0.1).'),
  'server-refused': facts,
  'mailbox-not-found': facts,
  'message-refused': facts,
  'message-too-large': facts,
  throttled: hint('Run the same command again later: it continues where it stopped.'),
  'state-corrupt': (e) => (typeof e.facts?.file === 'string' && /m365\.json$/.test(e.facts.file) ? `${e.message} ${LOGIN}` : e.message),
  cancelled: facts,
  'not-signed-in': (_e, c) =>
    c.command === 'smtp-check'
      ? 'Not signed in to Microsoft 365: run "cutover login" first to check with OAuth, or set CUTOVER_SMTP_PASSWORD to check with a password.'
      : 'Not signed in to Microsoft 365: run "cutover login" first.',
  'sign-in-required': hint(LOGIN),
  'consent-required': hint('Run "cutover login" again and accept the consent screen.'),
  'admin-consent-required': hint('Send your admin the admin-consent link from the README ("Microsoft 365 app registration").'),
  'wrong-tenant': hint('Use --tenant with your tenant ID or domain, or check --client-id.'),
  'conditional-access': hint('Ask your admin, or sign in from a device the policy allows (without --device-code if that flow is blocked).'),
  'user-cancelled': facts,
  'no-mailbox': hint('An admin assigns a licence with a mailbox; a new mailbox can take up to an hour to appear.'),
  'no-license': hint('An admin assigns Microsoft 365 Business Basic, Standard or Premium (admin center > Users > Licences).'),
  'imap-disabled': facts,
  'account-mismatch': hint('Name the signed-in mailbox with --target m365:ADDRESS, or run "cutover login" as the right person.'),
  'graph-error': facts,
  'response-too-large': facts,
  'file-too-large': facts,
  'file-unavailable': facts,
  'pair-busy': (e) => {
    const f = e.facts ?? {};
    if (f.lost === true) return 'another process took over this mailbox pair, so this run stopped; nothing was copied twice.';
    if (typeof f.pid === 'number' && typeof f.since === 'string') return `another copy of this mailbox pair is running (pid ${f.pid}, since ${new Date(f.since).toLocaleString()}).`;
    return e.message;
  },
  'outlook-file-protected': hint('Remove the password in Outlook (File > Account Settings > Data Files > Settings > Change Password) and run the command again.'),
  'outlook-file-unreadable': hint("If this is Outlook's data file, close Outlook and check it with Outlook's Inbox Repair Tool (scanpst.exe); or export contacts and calendar from Outlook as CSV and .ics."),
  'outlook-folder-not-found': hint('Name one of them with --folder-in-pst (as listed by "plan").'),
  'size-limit-too-large': (e) => {
    const ceiling = typeof e.facts?.ceiling === 'number' ? e.facts.ceiling : 157_286_400;
    return `--max-message-size cannot exceed 150 MB (${ceiling} bytes) for Microsoft 365: Exchange refuses anything larger.`;
  },
  'no-app-registration': () =>
    'No app registration to sign in with: pass --client-id (and usually --tenant) from your organisation\'s Cutover app registration; the README section "Microsoft 365 app registration" shows your admin how to create one.',
  'oauth-host-refused': hint('Leave out --host to check smtp.office365.com, or set CUTOVER_SMTP_PASSWORD to check another server with a password.'),
  internal: facts,
};

/** Codes that mean the command line was wrong (exit 2), not that the work failed (exit 1). */
const USAGE_CODES: readonly ErrorCode[] = ['usage', 'size-limit-too-large', 'no-app-registration', 'outlook-folder-not-found'];

/** The error in this host's words: one line, after "cutover: ". */
export function cliErrorText(error: CutoverErrorData, context: CliErrorContext): string {
  const words = (CLI_WORDS as Partial<Record<string, Worder>>)[error.code] ?? facts;
  return words(error, context);
}

export function exitCodeOf(error: CutoverErrorData): 1 | 2 {
  return USAGE_CODES.includes(error.code) ? 2 : 1;
}
