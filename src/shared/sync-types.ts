import type { CutoverErrorData } from './errors.js';
import type { FolderMapping } from './folder-mapping.js';

export interface SyncOptions {
  /** Largest message the target accepts, in bytes; larger ones are reported, not attempted. */
  maxMessageSize?: number;
  /** Parallel connection pairs (source + target). */
  connections?: number;
}

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
  alreadyPresent: number;
  flagsUpdated: number;
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
  mapping: FolderMapping[];
  cancelled: boolean;
  elapsedMs: number;
}

export interface FolderProgress {
  folder: string;
  target: string;
  messagesDone: number;
  messagesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the recent past. */
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export type SyncEvent =
  | { type: 'mapping'; mapping: FolderMapping[] }
  | { type: 'folder-start'; progress: FolderProgress }
  | { type: 'folder-progress'; progress: FolderProgress }
  | { type: 'folder-done'; summary: FolderSummary }
  | { type: 'message-failed'; message: MessageRef }
  | { type: 'message-skipped'; message: MessageRef }
  | { type: 'reconnecting'; folder: string; attempt: number; delayMs: number; error: CutoverErrorData }
  | { type: 'throttled'; folder: string; waitSeconds: number };
