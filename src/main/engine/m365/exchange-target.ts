import { CutoverError } from '../../../shared/errors.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { M365Auth } from '../auth/m365-auth.js';
import type { ImapAccount } from '../imap/imap-account.js';
import type { GraphClient } from '../graph/graph-client.js';
import type { M365Endpoints } from './m365-endpoints.js';
import { EXCHANGE_DEFAULT_MAX_MESSAGE, EXCHANGE_MAX_CONNECTIONS, EXCHANGE_MAX_MESSAGE_CEILING } from '../../../shared/sync-types.js';

/** Exchange Online facts the sync needs (see README "Microsoft 365 as the target"). */
export const EXCHANGE = {
  /** Default per-message limit; admins can raise a mailbox to 150 MB, never more. */
  defaultMaxMessageSize: EXCHANGE_DEFAULT_MAX_MESSAGE,
  maxMessageSizeCeiling: EXCHANGE_MAX_MESSAGE_CEILING,
  /** Exchange throttles many parallel IMAP sessions per mailbox; stay well below its limits. */
  maxConnections: EXCHANGE_MAX_CONNECTIONS,
  /** Names Exchange refuses for folders ("NO Folder name is reserved"). */
  reservedFolderNames: ['Files'],
} as const;

/**
 * Exchange Online's IMAP endpoint, or the host's replacement (the tests' Dovecot with an oauth2
 * passdb; a hybrid or sovereign-cloud host).
 */
export function exchangeImapEndpoint(user: string, imap?: M365Endpoints['imap']): ImapEndpoint {
  return { host: imap?.host ?? 'outlook.office365.com', port: imap?.port ?? 993, user, tls: 'implicit' };
}

/**
 * The addresses that name the signed-in mailbox: its user principal name, its primary SMTP address
 * (`mail`, often different from the UPN) and its aliases (`proxyAddresses` entries "SMTP:primary" /
 * "smtp:alias", returned only on $select: https://learn.microsoft.com/en-us/graph/api/resources/user).
 * A directory that does not let the user read proxyAddresses costs only the aliases.
 */
export async function mailboxAddresses(graph: GraphClient, upn: string): Promise<string[]> {
  let me: { userPrincipalName?: unknown; mail?: unknown; proxyAddresses?: unknown } = {};
  try {
    me = await graph.get('/me?$select=userPrincipalName,mail,proxyAddresses');
  } catch {
    try {
      me = await graph.get('/me?$select=userPrincipalName,mail');
    } catch {
      // Only the UPN is known for sure.
    }
  }
  const proxies = Array.isArray(me.proxyAddresses) ? me.proxyAddresses.filter((p): p is string => typeof p === 'string' && /^smtp:/i.test(p)).map((p) => p.slice(5)) : [];
  const all = [upn, typeof me.userPrincipalName === 'string' ? me.userPrincipalName : '', typeof me.mail === 'string' ? me.mail : '', ...proxies];
  return [...new Set(all.filter(Boolean).map((a) => a.toLowerCase()))];
}

/**
 * Checks that `address` names the signed-in mailbox (UPN, primary address or alias) and returns the
 * sign-in's user name, the one name used for that mailbox from here on (XOAUTH2, the state database).
 */
export async function signedInMailbox(auth: M365Auth, graph: GraphClient, address: string): Promise<string> {
  const signedIn = await auth.signedIn();
  if (!signedIn) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365.', retryable: false });
  if (signedIn.username.toLowerCase() === address.toLowerCase()) return signedIn.username;
  const addresses = await mailboxAddresses(graph, signedIn.username);
  if (addresses.includes(address.toLowerCase())) return signedIn.username;
  throw new CutoverError({
    code: 'account-mismatch',
    message: `You are signed in to Microsoft 365 as ${signedIn.username}, not ${address} (this mailbox's addresses: ${addresses.join(', ')}).`,
    retryable: false,
  });
}

/**
 * The Exchange mailbox as an IMAP account whose credentials are a fresh XOAUTH2 token at every
 * (re)connect, so a run of many hours survives token expiry. `address` may be any of the mailbox's
 * addresses; IMAP signs in with the account's user name.
 */
export async function exchangeAccount(auth: M365Auth, graph: GraphClient, address: string, options: { caFile?: string; imap?: M365Endpoints['imap'] } = {}): Promise<ImapAccount> {
  const user = await signedInMailbox(auth, graph, address);
  const caFile = options.caFile;
  return {
    endpoint: exchangeImapEndpoint(user, options.imap),
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
 * Flags Exchange gets with UID STORE right after APPEND instead of with the APPEND: imapsync's Office
 * 365 notes say a \Flagged set by APPEND is not seen by other clients (Outlook), while one set by
 * STORE is (https://imapsync.lamiral.info/FAQ.d/FAQ.Office365.txt).
 */
export const EXCHANGE_STORE_AFTER_APPEND: readonly string[] = ['\\Flagged'];

/**
 * The Exchange APPEND flag policy, as data for the sync: `append` goes with the APPEND, `storeAfter`
 * is set with UID STORE +FLAGS once the APPEND has its UID. Crash safety is the caller's: record the
 * copied message's flags without `storeAfter` until the STORE has succeeded, so a run killed between
 * the two sets them on the next run (the flag pass sees the difference) instead of losing them.
 */
export function exchangeAppendFlags(flags: readonly string[]): { append: string[]; storeAfter: string[] } {
  const later = new Set(EXCHANGE_STORE_AFTER_APPEND.map((f) => f.toLowerCase()));
  return { append: flags.filter((f) => !later.has(f.toLowerCase())), storeAfter: flags.filter((f) => later.has(f.toLowerCase())) };
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
