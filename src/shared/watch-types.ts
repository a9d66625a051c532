import type { MailAccountInput, MailAccountRef, TargetInput, TargetRef } from './app-api.js';
import type { CutoverErrorData } from './errors.js';

/**
 * Keep in step (issue 14 §1) and the late-arrival sweep (§3): after the first copy, a watch keeps
 * copying what reaches the old mailbox until the MX switch has settled. The engine returns facts;
 * the CLI and the app word them. Argument schemas live in app-api.ts (CUTOVER_WATCH_ARGUMENTS).
 */

/** What the watch needs: both mailboxes (with passwords, kept in memory only) and how often to pass over every folder. */
export interface WatchRequest {
  source: MailAccountInput;
  target: TargetInput;
  /** Seconds between full incremental passes over every mapped folder (default 300). INBOX is also watched with IDLE. */
  everySeconds?: number;
  /** When given, the watch checks this domain's MX periodically and notes when it shows Microsoft 365 (the switch). */
  dns?: { domain: string; expectMx: string | null } | null;
}

/** A pair named without passwords (enough to ask about a watch, never to connect). */
export interface WatchPairRef {
  source: MailAccountRef;
  target: TargetRef;
}

export interface WatchStarted {
  jobId: string;
  /** This pair was watched already in this Cutover: the caller now follows that watch. */
  attached: boolean;
}

/**
 * not-started: no watch ever ran for the pair; watching: idle, in step; catching-up: a pass is
 * copying; reconnecting: the connection broke, trying again with backoff; stopped: ended on request
 * (or another process holds the pair); failed: ended by an error that another try cannot fix.
 */
export type WatchState = 'not-started' | 'watching' | 'catching-up' | 'reconnecting' | 'stopped' | 'failed';

/** A message that reached the old server after the MX switch was seen, and was copied. */
export interface LateArrival {
  folder: string;
  subject: string;
  from: string;
  /** When the old server received it (IMAP INTERNALDATE), ISO 8601; null when the server gave none. */
  receivedAt: string | null;
}

/** What the "safe to close the old mailbox" verdict still waits for (empty when ok). */
export type SafeToCloseWait = 'switch-not-seen' | 'sweep-running' | 'late-arrival-within-24h' | 'compare-not-complete';

export interface SafeToClose {
  ok: boolean;
  waitingFor: SafeToCloseWait[];
}

/** The most late arrivals a status lists (the count covers all of them; the log keeps every one). */
export const LATE_ARRIVALS_LISTED = 50;

export interface WatchStatus {
  state: WatchState;
  /** The watch running in this Cutover (to follow its events), or null. */
  jobId: string | null;
  /** Another process (the command line, another window's host) watches or copies the pair. */
  elsewhere: { pid: number; since: string; purpose: string } | null;
  /** When the last pass over every folder finished (ISO 8601), null before the first. */
  lastCheckedAt: string | null;
  /** Messages the watch copied, over every watch of this pair. */
  copiedTotal: number;
  lateArrivals: { count: number; lastAt: string | null; items: LateArrival[] };
  /** When the domain's MX was first seen pointing to Microsoft 365 (or the switch was recorded). */
  switchSeenAt: string | null;
  /** The sweep runs until max(2 × the old MX TTL, 72 h) after the switch; null before the switch. */
  sweepUntil: string | null;
  /** The last comparison the watch knows of: when, and how many messages were missing. */
  lastCompare: { at: string; missing: number } | null;
  safeToClose: SafeToClose;
  error: CutoverErrorData | null;
}

/** One line of a watch's story (the CLI prints one line per event). */
export type WatchEvent =
  | { type: 'started'; everySeconds: number; folders: number }
  /** A pass over every folder finished. `copied`: messages copied in this pass. */
  | { type: 'checked'; at: string; copied: number }
  | { type: 'copied'; folder: string; count: number; afterSwitch: boolean }
  | { type: 'reconnecting'; attempt: number; delayMs: number; error: CutoverErrorData }
  | { type: 'switch-seen'; at: string; sweepUntil: string; oldMxTtl: number | null }
  | { type: 'late-arrival'; item: LateArrival }
  | { type: 'safe-to-close'; at: string }
  | { type: 'stopped'; reason: 'requested' | 'lease-lost' | 'failed' }
  /** Something went wrong but the watch goes on (a folder, a message, a DNS check), or ended (then a 'stopped' follows). */
  | { type: 'problem'; folder: string | null; error: CutoverErrorData };
