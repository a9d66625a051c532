import type { WizardStep } from '../../shared/app-api.js';
import type { CutoverErrorData, ErrorCode } from '../../shared/errors.js';

/** Whose side a problem is on, in the person's words. */
export type Side = 'old-server' | 'new-server' | 'either-server' | 'microsoft' | 'this-computer' | 'you';

export const SIDE_WORDS: Record<Side, string> = {
  'old-server': 'On the old mail server’s side',
  'new-server': 'On the new mail server’s side',
  'either-server': 'On the side of the old or the new mail server',
  microsoft: 'On Microsoft’s side',
  'this-computer': 'On this computer',
  you: 'Your choice',
};

export interface ProblemWords {
  /** One short line: what happened. */
  title: string;
  /** What to do next, in one or two sentences. */
  todo: string;
  side: Side;
  /** The step that fixes it, with the button's words; null when nothing there helps. */
  fix: { label: string; step: WizardStep } | null;
}

/**
 * Where the problem happened: which mailbox the call was about, and what the new mailbox is. A copy
 * talks to both mailboxes and its errors do not say which one failed: `copy` words them for either.
 */
export interface ProblemContext {
  role: 'source' | 'target' | 'engine' | 'sign-in' | 'dav' | 'copy';
  target: 'm365' | 'imap' | null;
}

const newServer = (c: ProblemContext): string => (c.target === 'm365' ? 'Microsoft 365 mail server' : 'new mail server');
const server = (c: ProblemContext): string =>
  c.role === 'source' ? 'old mail server' : c.role === 'dav' ? 'old provider’s contacts and calendar server' : c.role === 'copy' ? `old or the ${newServer(c)}` : newServer(c);
const sideOf = (c: ProblemContext): Side =>
  c.role === 'source' || c.role === 'dav' ? 'old-server' : c.role === 'copy' ? 'either-server' : c.target === 'm365' || c.role === 'sign-in' ? 'microsoft' : 'new-server';
const accountStep = (c: ProblemContext): WizardStep => (c.role === 'source' ? 'old-mailbox' : c.role === 'dav' ? 'contacts-calendar' : 'microsoft-365');
/** The check step tries both mailboxes and says which one fails: the way back after a copy's problem. */
const fixAccount = (c: ProblemContext): ProblemWords['fix'] =>
  c.role === 'engine'
    ? null
    : c.role === 'copy'
      ? { label: 'Check both mailboxes', step: 'check' }
      : { label: c.role === 'source' ? 'Check the old mailbox' : c.role === 'dav' ? 'Check the server settings' : 'Check the new mailbox', step: accountStep(c) };
const signIn = { label: 'Go to sign-in', step: 'microsoft-365' } as const;

/**
 * The app's words for every engine error code: what happened, on whose side, what to do and which
 * step fixes it. The engine's own message never reaches the page (it is written for logs and the CLI).
 */
export const PROBLEM_WORDS: Record<ErrorCode, (c: ProblemContext) => ProblemWords> = {
  usage: () => ({ title: 'Cutover could not use what was entered.', todo: 'Check the fields on this page: each one says what it needs.', side: 'this-computer', fix: null }),
  'auth-failed': (c) =>
    c.target === 'm365' && c.role === 'target'
      ? { title: 'Microsoft 365 did not let Cutover into the mailbox.', todo: 'Sign in again. If it happens again, ask your admin whether mail access for other programs is switched on for your mailbox.', side: 'microsoft', fix: signIn }
      : { title: `The ${server(c)} refused the user name or password.`, todo: 'Check both. Some providers want an app password instead of your usual one: look for “app passwords” in your provider’s security settings.', side: sideOf(c), fix: fixAccount(c) },
  'tls-failed': (c) => ({ title: `A secure connection to the ${server(c)} could not be set up.`, todo: 'Check the port and the security setting: SSL/TLS usually goes with port 993, STARTTLS with port 143.', side: sideOf(c), fix: fixAccount(c) }),
  'tls-untrusted': (c) => ({
    title: `This computer does not trust the ${server(c)}’s certificate.`,
    todo: 'Check the server name: it must be the one on the certificate (often your provider’s name, such as imap.provider.com, rather than your own domain). If your organisation uses its own certificates, ask your IT.',
    side: sideOf(c),
    fix: fixAccount(c),
  }),
  'tls-name-mismatch': (c) => ({
    title: `The ${server(c)}’s certificate is for another name.`,
    todo: 'Use the server name your provider gives for mail (for example imap.provider.com) rather than your own domain.',
    side: sideOf(c),
    fix: fixAccount(c),
  }),
  'tls-expired': (c) => ({ title: `The ${server(c)}’s certificate has expired or is not valid yet.`, todo: 'Check that this computer’s date and time are right. If they are, the provider must renew its certificate: tell them.', side: sideOf(c), fix: fixAccount(c) }),
  'plaintext-on-tls-port': (c) => ({ title: `The ${server(c)} answered without encryption on a port set up for SSL/TLS.`, todo: 'Choose STARTTLS for this port (usually 143), or use port 993 with SSL/TLS.', side: 'you', fix: fixAccount(c) }),
  'tls-on-plaintext-port': (c) => ({ title: `The ${server(c)} expects SSL/TLS on this port.`, todo: 'Choose SSL/TLS as the security setting (usually with port 993).', side: 'you', fix: fixAccount(c) }),
  'not-imap': (c) => ({ title: `Something other than a mail server answered at this address (${server(c)}).`, todo: 'Check the server name and the port your provider gives for IMAP.', side: 'you', fix: fixAccount(c) }),
  'response-too-large': (c) => ({ title: `The ${server(c)} sent an answer far larger than any mail server should.`, todo: 'Cutover stopped reading it to protect this computer. Try again later; if it happens again, show the log folder to your provider.', side: sideOf(c), fix: null }),
  'file-too-large': () => ({ title: 'The chosen files are too large.', todo: 'Choose fewer or smaller files: the limits are shown next to the button.', side: 'you', fix: null }),
  'file-unavailable': () => ({ title: 'A chosen file can no longer be read.', todo: 'Choose the file again (it may have been moved, or Cutover was restarted since).', side: 'this-computer', fix: null }),
  'outlook-file-protected': () => ({
    title: 'This Outlook data file is protected with a password.',
    todo: 'In Outlook, remove the password (File → Account Settings → Data Files → the file → Settings → Change Password, leave the new password empty), close Outlook and choose the file again.',
    side: 'you',
    fix: null,
  }),
  'outlook-file-unreadable': () => ({
    title: 'This file cannot be read as an Outlook data file.',
    todo: 'Check that it is the .pst or .ost file itself. If it is, close Outlook, let Outlook’s Inbox Repair Tool (scanpst.exe) check the file, and choose it again; or export the contacts and calendar from Outlook (File → Open & Export → Import/Export) and choose those files.',
    side: 'this-computer',
    fix: null,
  }),
  'outlook-folder-not-found': () => ({ title: 'The data file has no folder of that name.', todo: 'Choose the file again and tick the folders it lists.', side: 'you', fix: null }),
  'size-limit-too-large': () => ({
    title: 'Microsoft 365 takes no message larger than 150 MB.',
    todo: 'Set the size limit under “Advanced” on the “Folders” step to 150 MB or less.',
    side: 'you',
    fix: { label: 'Check the folders', step: 'folders' },
  }),
  'no-app-registration': () => ({
    title: 'Cutover does not know which app registration to sign in with.',
    todo: 'Enter the client ID your admin gave you under “Organisation settings”, or ask your admin for one (the message under “Ask your admin” says what to do).',
    side: 'you',
    fix: signIn,
  }),
  'host-unreachable': (c) =>
    c.role === 'sign-in'
      ? { title: 'Cutover could not reach Microsoft’s sign-in service.', todo: 'Check that this computer is online. A firewall or proxy may block the sign-in: your IT can tell.', side: 'this-computer', fix: null }
      : { title: `Cutover could not reach the ${server(c)}.`, todo: 'Check the server name and the port, and that this computer is online.', side: 'this-computer', fix: fixAccount(c) },
  'connection-lost': (c) =>
    c.role === 'engine'
      ? { title: 'Cutover’s engine stopped answering.', todo: 'If Cutover was closed, start it again: your work continues where it stopped. Then reload this page.', side: 'this-computer', fix: null }
      : { title: `The connection to the ${server(c)} dropped.`, todo: 'Try again: Cutover continues where it stopped.', side: sideOf(c), fix: null },
  timeout: (c) => ({ title: `The ${server(c)} stopped answering.`, todo: 'Try again in a few minutes. If it keeps happening, check the server name and port.', side: sideOf(c), fix: fixAccount(c) }),
  'plaintext-refused': (c) => ({ title: 'Cutover will not send your password unencrypted over the network.', todo: 'Choose SSL/TLS or STARTTLS as the security setting.', side: 'this-computer', fix: fixAccount(c) }),
  'server-refused': (c) => ({ title: `The ${server(c)} refused what Cutover asked of it.`, todo: 'Try again later. If it keeps happening, the log folder has the details to show your provider.', side: sideOf(c), fix: null }),
  'mailbox-not-found': (c) => ({ title: `A folder is no longer on the ${server(c)}.`, todo: 'Look at the folder list again: it may have been renamed or deleted meanwhile.', side: sideOf(c), fix: { label: 'Check the folders', step: 'folders' } }),
  'message-refused': () => ({ title: 'The new mailbox refused a message.', todo: 'It is listed with the reason; the copy goes on without it.', side: 'new-server', fix: null }),
  'message-too-large': () => ({ title: 'A message is larger than the new mailbox accepts.', todo: 'It is listed; save it elsewhere before you stop using the old mailbox.', side: 'new-server', fix: null }),
  throttled: (c) => ({ title: `The ${server(c)} asked Cutover to slow down.`, todo: 'Nothing to do: Cutover waits and then goes on by itself.', side: sideOf(c), fix: null }),
  'state-corrupt': () => ({ title: 'Cutover’s records on this computer could not be read.', todo: 'Close Cutover and start it again. If this happens again, send the log folder to whoever supports you.', side: 'this-computer', fix: null }),
  cancelled: () => ({ title: 'Stopped, as you asked.', todo: 'Start again whenever you like: it continues where it stopped.', side: 'you', fix: null }),
  'not-signed-in': () => ({ title: 'You are not signed in to Microsoft 365.', todo: 'Sign in on the “New mailbox” step.', side: 'you', fix: signIn }),
  'sign-in-required': () => ({ title: 'Your Microsoft 365 sign-in has expired.', todo: 'Sign in again; nothing is lost.', side: 'microsoft', fix: signIn }),
  'consent-required': () => ({ title: 'Microsoft 365 needs your permission for Cutover to use your mailbox.', todo: 'Sign in again and accept the permissions Microsoft lists.', side: 'microsoft', fix: signIn }),
  'admin-consent-required': () => ({
    title: 'Your organisation lets only an administrator approve Cutover.',
    todo: 'Send your admin the message under “Ask your admin” on the “New mailbox” step. Once they have approved it, sign in again.',
    side: 'microsoft',
    fix: signIn,
  }),
  'wrong-tenant': () => ({
    title: 'This app registration does not accept accounts from your organisation.',
    todo: 'Check the client ID and the organisation under “Organisation settings”, or ask your admin for the right ones.',
    side: 'microsoft',
    fix: signIn,
  }),
  'conditional-access': () => ({
    title: 'Your organisation’s sign-in rules blocked this sign-in.',
    todo: 'Your admin sets these rules (for example “company devices only”, or no sign-in with a code). Ask them, or sign in from a device they allow.',
    side: 'microsoft',
    fix: null,
  }),
  'user-cancelled': () => ({ title: 'The sign-in was cancelled.', todo: 'Sign in again when you are ready.', side: 'you', fix: signIn }),
  'no-mailbox': () => ({ title: 'Your Microsoft 365 account has no mailbox yet.', todo: 'Ask your admin to assign a licence with a mailbox. A new mailbox can take up to an hour to appear.', side: 'microsoft', fix: null }),
  'no-license': () => ({
    title: 'Your Microsoft 365 account has no licence that includes a mailbox.',
    todo: 'Ask your admin to assign Microsoft 365 Business Basic, Standard or Premium (Microsoft 365 admin center → Users → Licences).',
    side: 'microsoft',
    fix: null,
  }),
  'imap-disabled': () => ({
    title: 'Microsoft 365 does not let Cutover into the mailbox: mail access for other programs (IMAP) is switched off.',
    todo: 'Ask your admin to switch it on for your mailbox (the command for them is below), then run the check again.',
    side: 'microsoft',
    fix: null,
  }),
  'account-mismatch': () => ({
    title: 'You are signed in to Microsoft 365 as someone else than the address you entered.',
    todo: 'Enter the address you signed in with, or sign out and sign in as the right person.',
    side: 'you',
    fix: signIn,
  }),
  'graph-error': () => ({ title: 'Microsoft 365 answered with an error.', todo: 'Try again in a few minutes. If it keeps happening, the log folder has the details for your admin.', side: 'microsoft', fix: null }),
  'pair-busy': () => ({
    title: 'Another copy between these two mailboxes is already running on this computer.',
    todo: 'Wait until it has finished (or stop it where it was started: another Cutover window or the command line), then start again. Nothing is copied twice.',
    side: 'this-computer',
    fix: null,
  }),
  'oauth-host-refused': () => ({
    title: 'Cutover signs in with your Microsoft 365 account only at Microsoft’s own mail server.',
    todo: 'Check with server smtp.office365.com, or check another server with its password instead.',
    side: 'you',
    fix: null,
  }),
  internal: () => ({ title: 'Something went wrong inside Cutover.', todo: 'Try again. If it happens again, the log folder has the details to send to whoever supports you.', side: 'this-computer', fix: null }),
};

/** The words for a problem; an unknown code (a newer engine) gets the generic "inside Cutover" words. */
export function wordsFor(problem: Pick<CutoverErrorData, 'code'>, context: ProblemContext): ProblemWords {
  const words = (PROBLEM_WORDS as Partial<Record<string, (c: ProblemContext) => ProblemWords>>)[problem.code] ?? PROBLEM_WORDS.internal;
  return words(context);
}

/** One sentence for places that only have room for text (a status line). */
export function problemSentence(problem: Pick<CutoverErrorData, 'code'>, context: ProblemContext): string {
  const w = wordsFor(problem, context);
  return `${w.title} ${w.todo}`;
}
