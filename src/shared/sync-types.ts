import type { CutoverErrorData } from './errors.js';
import type { FolderMapping } from './folder-mapping.js';

/** Exchange Online takes at most this many bytes per message (an admin may raise a mailbox's 35 MB to this). */
export const EXCHANGE_MAX_MESSAGE_CEILING = 150 * 1024 * 1024;
/** Exchange Online's usual per-message limit, the copy's default for it. */
export const EXCHANGE_DEFAULT_MAX_MESSAGE = 35 * 1024 * 1024;
/** Parallel IMAP sessions per mailbox a copy opens against Exchange at most (it throttles more). */
export const EXCHANGE_MAX_CONNECTIONS = 3;
/** Parallel connection pairs of a copy to another IMAP server unless the person chooses. */
export const DEFAULT_COPY_CONNECTIONS = 4;

export interface MessageRef {
  folder: string;
  uid: number;
  reason: string;
  subject?: string;
  date?: string;
  size?: number;
}

export interface FolderSummary {
  source: string;
  target: string;
  copied: number;
  /** Messages that were on the target when this run began (copied by an earlier run, or found there). */
  alreadyPresent: number;
  flagsUpdated: number;
  /** Messages the target refused in this run, and messages left out on purpose (too large). */
  failed: number;
  skipped: number;
  total: number;
  /** Keywords the target cannot store, with how many messages carried each. */
  keywordsNotKept: Record<string, number>;
}

export interface SyncSummary {
  copied: number;
  alreadyPresent: number;
  flagsUpdated: number;
  skipped: MessageRef[];
  failed: MessageRef[];
  folders: FolderSummary[];
  /** Folders that could not be processed at all (e.g. the target refused to create them). */
  folderErrors: { folder: string; error: CutoverErrorData }[];
  /** Where each source folder went (or was left out), as this run mapped them. */
  mapping: FolderMapping[];
  /** What the run planned before copying (null when it stopped before planning). */
  plan: SyncPlan | null;
  cancelled: boolean;
  elapsedMs: number;
}

/** One selected folder as planned before the first APPEND. */
export interface PlannedFolder {
  source: string;
  target: string;
  /** Messages and bytes in the source folder. */
  messages: number;
  bytes: number;
  /** Of those, on the target already (copied before, or found there). */
  alreadyDone: number;
  alreadyDoneBytes: number;
}

/** Every selected folder, known before copying starts: the overall total never grows after this. */
export interface SyncPlan {
  folders: PlannedFolder[];
  messages: number;
  bytes: number;
  alreadyDone: number;
  alreadyDoneBytes: number;
  /** Source folders the user left out. */
  leftOut: string[];
}

/** All selected folders together; `messagesDone` and `bytesDone` only ever grow. */
export interface OverallProgress {
  messagesDone: number;
  messagesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  failed: number;
  skipped: number;
  elapsedMs: number;
  bytesPerSecond: number;
  /** Overall time left, or null while the speed is not known yet. */
  etaSeconds: number | null;
}

/** The last run of a pair, as the state database remembers it. */
export interface LastRun {
  startedAt: string;
  /** Null when the run did not end by itself (killed, or still running). */
  finishedAt: string | null;
  repair: boolean;
  copied: number;
  failed: number;
  cancelled: boolean;
}

/** One folder: `messagesTotal` is the folder's messages, `messagesDone` those on the target. */
export interface FolderProgress {
  folder: string;
  target: string;
  messagesDone: number;
  messagesTotal: number;
  /** On the target before this pass started copying. */
  alreadyDone: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the recent past. */
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export type SyncEvent =
  | { type: 'plan'; plan: SyncPlan }
  | { type: 'overall'; progress: OverallProgress }
  | { type: 'folder-start'; progress: FolderProgress }
  | { type: 'folder-progress'; progress: FolderProgress }
  | { type: 'folder-done'; summary: FolderSummary }
  | { type: 'message-failed'; message: MessageRef }
  | { type: 'reconnecting'; folder: string; attempt: number; delayMs: number; error: CutoverErrorData }
  | { type: 'throttled'; folder: string; waitSeconds: number };

/** A copy running in this Cutover, as a page that (re)opens sees it. */
export interface RunningJob {
  id: string;
  repair: boolean;
  startedAt: string;
  plan: SyncPlan | null;
  overall: OverallProgress | null;
  /** Latest progress of each folder this run has started. */
  folders: FolderProgress[];
  failed: MessageRef[];
}

/** A mailbox pair: what runs now, and what the state database knows (no connection needed). */
export interface PairStatus {
  /** A copy of this pair running in this Cutover: a page attaches to it. */
  running: RunningJob | null;
  /** Another process (another window's host, the command line) holds the pair. */
  elsewhere: { pid: number; since: string; purpose: string } | null;
  /** Messages in the selected folders as last planned, and how many of them are on the target. */
  known: number;
  done: number;
  failed: number;
  skipped: number;
  folders: { source: string; target: string; known: number; done: number; failed: number; skipped: number }[];
  /** Messages Cutover itself appended for this pair, over every run. */
  copiedByCutover: number;
  lastRun: LastRun | null;
  /** The summary of the last run in this Cutover since it started (null after a restart). */
  lastSummary: SyncSummary | null;
}
