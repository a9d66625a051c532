import { CutoverError } from '../../../shared/errors.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { M365Auth } from '../auth/m365-auth.js';
import type { ImapAccount } from '../imap/imap-account.js';
import type { GraphClient } from '../graph/graph-client.js';

/** Exchange Online facts the sync needs (see README "Microsoft 365 as the target"). */
export const EXCHANGE = {
  /** Default per-message limit; admins can raise a mailbox to 150 MB, never more. */
  defaultMaxMessageSize: 35 * 1024 * 1024,
  maxMessageSizeCeiling: 150 * 1024 * 1024,
  /** Exchange throttles many parallel IMAP sessions per mailbox; stay well below its limits. */
  maxConnections: 3,
  /** Names Exchange refuses for folders ("NO Folder name is reserved"). */
  reservedFolderNames: ['Files'],
} as const;

/** Parses `m365:USER@DOMAIN`. */
export function parseM365Target(text: string): { user: string } | null {
  const m = /^m365:(.+)$/i.exec(text);
  if (!m) return null;
  const user = m[1]!.trim();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user)) {
    throw new CutoverError({ code: 'usage', message: `"${text}" is not m365:USER@DOMAIN (for example m365:anna@contoso.com).`, retryable: false });
  }
  return { user };
}

/**
 * Exchange Online's IMAP endpoint. CUTOVER_M365_IMAP=host:port points it elsewhere (the tests'
 * Dovecot with an oauth2 passdb; a hybrid or sovereign-cloud host).
 */
export function exchangeImapEndpoint(user: string): ImapEndpoint {
  const override = process.env.CUTOVER_M365_IMAP;
  if (override) {
    const [host, port] = override.split(':');
    return { host: host!, port: Number(port ?? 993), user, tls: 'implicit' };
  }
  return { host: 'outlook.office365.com', port: 993, user, tls: 'implicit' };
}

/**
 * The Exchange mailbox as an IMAP account whose credentials are a fresh XOAUTH2 token at every
 * (re)connect, so a run of many hours survives token expiry.
 */
export async function exchangeAccount(auth: M365Auth, user: string, caFile?: string): Promise<ImapAccount> {
  const signedIn = await auth.signedIn();
  if (!signedIn) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365: run "cutover login" first.', retryable: false });
  if (signedIn.username.toLowerCase() !== user.toLowerCase()) {
    throw new CutoverError({
      code: 'account-mismatch',
      message: `You are signed in to Microsoft 365 as ${signedIn.username}, not ${user}: run "cutover login" with that account, or use --target m365:${signedIn.username}.`,
      retryable: false,
    });
  }
  return {
    endpoint: exchangeImapEndpoint(signedIn.username),
    credentials: async () => ({ accessToken: (await auth.imapCredentials()).accessToken }),
    ...(caFile ? { caFile } : {}),
  };
}

const WELL_KNOWN = { sent: 'sentitems', drafts: 'drafts', trash: 'deleteditems', junk: 'junkemail', archive: 'archive' } as const;

/**
 * Exchange IMAP has no SPECIAL-USE and its folder names are localized ("Gesendete Elemente"), so
 * the real names come from Graph's well-known folder names.
 */
export async function exchangeSpecialFolderNames(graph: GraphClient): Promise<Partial<Record<keyof typeof WELL_KNOWN, string>>> {
  const out: Partial<Record<keyof typeof WELL_KNOWN, string>> = {};
  const entries = Object.entries(WELL_KNOWN) as [keyof typeof WELL_KNOWN, string][];
  const answers = await graph.batch(entries.map(([kind, wk]) => ({ id: kind, method: 'GET', url: `/me/mailFolders/${wk}?$select=displayName` })));
  for (const a of answers) {
    const name = (a.body as { displayName?: unknown } | null)?.displayName;
    if (a.status === 200 && typeof name === 'string') out[a.id as keyof typeof WELL_KNOWN] = name;
  }
  return out;
}

/**
 * Outlook sends a read receipt for any message carrying Disposition-Notification-To that it sees
 * as unread-then-read, even years later. Appending such messages with $MDNSent (which Exchange
 * keeps) tells it the receipt was dealt with, without touching the message bytes.
 */
export function mdnSentFlag(raw: Buffer): string[] {
  const end = raw.indexOf('\r\n\r\n');
  const header = raw.subarray(0, end < 0 ? Math.min(raw.length, 65_536) : end).toString('latin1');
  return /^disposition-notification-to:/im.test(header) ? ['$MDNSent'] : [];
}
