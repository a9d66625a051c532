import type { WizardState } from '../../shared/app-api.js';
import type { FolderProgress, PairStatus, SyncPlan, SyncSummary } from '../../shared/sync-types.js';

/** One line of the copy table: a folder, how many of its messages are in the new mailbox. */
export interface FolderRow {
  folder: string;
  target: string;
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
  finished: boolean;
}

/**
 * The table's rows from one source of truth at a time: a finished run's summary; else the plan
 * with the live progress of the folders started so far; else what the state database knows.
 * So the paused sentence (from the summary) and the table always say the same.
 */
export function folderRows(args: { summary: SyncSummary | null; running: boolean; plan: SyncPlan | null; live: Record<string, FolderProgress>; status: PairStatus | null }): FolderRow[] {
  const { summary, running, plan, live, status } = args;
  if (summary && !running) {
    return summary.folders.map((f) => ({ folder: f.source, target: f.target, done: f.alreadyPresent + f.copied, total: f.total, bytesDone: 0, bytesTotal: 0, bytesPerSecond: null, etaSeconds: null, finished: !summary.cancelled || f.alreadyPresent + f.copied + f.failed + f.skipped >= f.total }));
  }
  if (plan) {
    return plan.folders.map((f) => {
      const p = live[f.source];
      if (!p) return { folder: f.source, target: f.target, done: f.alreadyDone, total: f.messages, bytesDone: f.alreadyDoneBytes, bytesTotal: f.bytes, bytesPerSecond: null, etaSeconds: null, finished: f.alreadyDone >= f.messages };
      return { folder: p.folder, target: p.target, done: p.messagesDone, total: p.messagesTotal, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, bytesPerSecond: p.bytesPerSecond, etaSeconds: p.etaSeconds, finished: p.messagesDone >= p.messagesTotal || p.etaSeconds === 0 };
    });
  }
  return (status?.folders ?? []).map((f) => ({ folder: f.source, target: f.target, done: f.done, total: f.known, bytesDone: 0, bytesTotal: 0, bytesPerSecond: null, etaSeconds: null, finished: f.done >= f.known }));
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1_073_741_824) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  return `${(bytes / 1_073_741_824).toFixed(2)} GB`;
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Whole numbers the way people read them: 1,500. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * What the wizard remembers of a finished run: "Mail copied" is the pair's total in the new
 * mailbox (from the state database), not only what the last run copied.
 */
export function lastSyncOf(summary: SyncSummary, status: PairStatus | null): NonNullable<WizardState['lastSync']> {
  const onTarget = status && status.known > 0 ? status.done : summary.copied + summary.alreadyPresent;
  return { copied: onTarget, failed: summary.failed.length, at: new Date().toISOString() };
}
