import type { WizardState } from '../../shared/app-api.js';
import type { FolderProgress, FolderSummary, MessageRef, PairStatus, SyncPlan, SyncSummary } from '../../shared/sync-types.js';
import { isFlagsOnly } from './sync-words.js';

/** Where one folder is: waiting for its turn, being copied, finished, stopped by a pause, or not copied (a problem). */
export type FolderState = 'waiting' | 'copying' | 'done' | 'stopped' | 'not-copied';

/** One line of the copy table: a folder and how many of its messages are in the new mailbox. */
export interface FolderRow {
  folder: string;
  target: string;
  total: number;
  /** In the new mailbox (copied now or before, or found there). */
  done: number;
  refused: number;
  /** Left out on purpose: larger than the new mailbox accepts. */
  tooLarge: number;
  /** Bytes so far while the folder is copied; null once it is not being copied. */
  bytesDone: number | null;
  /** The folder's size, when known. */
  bytesTotal: number | null;
  state: FolderState;
}

/** The cards above the table, always the sums of the table's rows (so the two never disagree). */
export interface CopyFigures {
  messages: number;
  folders: number;
  bytes: number | null;
  /** In the new mailbox now. */
  inNew: number;
  /** Copied by this run, and there before it; null when only the state database speaks (no run in this session). */
  copied: number | null;
  already: number | null;
  left: number;
  refused: number;
  tooLarge: number;
}

/** How many messages of `folder` the new mailbox refused (flag updates that failed are not refusals). */
function refusedIn(refs: MessageRef[], folder: string): number {
  return refs.filter((r) => r.folder === folder && !isFlagsOnly(r)).length;
}

function settled(row: Pick<FolderRow, 'done' | 'refused' | 'tooLarge'>): number {
  return row.done + row.refused + row.tooLarge;
}

function fromFolderSummary(s: FolderSummary, refs: MessageRef[], bytesTotal: number | null, stopped: boolean): FolderRow {
  const row = { folder: s.source, target: s.target, total: s.total, done: s.alreadyPresent + s.copied, refused: refusedIn(refs, s.source), tooLarge: s.skipped, bytesDone: null, bytesTotal };
  return { ...row, state: stopped && settled(row) < row.total ? 'stopped' : 'done' };
}

/**
 * A finished, paused or failed run: every planned folder, from its summary when the run got to it,
 * else as planned (what was there before), marked "stopped" (paused) or "not copied" (a problem).
 */
export function rowsFromSummary(summary: SyncSummary): FolderRow[] {
  const failedFolders = new Set(summary.folderErrors.map((e) => e.folder));
  const bySource = new Map(summary.folders.map((f) => [f.source, f]));
  const planned = summary.plan?.folders ?? [];
  const rows: FolderRow[] = planned.map((p) => {
    const s = bySource.get(p.source);
    if (s) return fromFolderSummary(s, summary.failed, p.bytes, summary.cancelled);
    const state: FolderState = failedFolders.has(p.source) ? 'not-copied' : summary.cancelled ? 'stopped' : p.alreadyDone >= p.messages ? 'done' : 'not-copied';
    return { folder: p.source, target: p.target, total: p.messages, done: p.alreadyDone, refused: 0, tooLarge: 0, bytesDone: null, bytesTotal: p.bytes, state };
  });
  const inPlan = new Set(planned.map((p) => p.source));
  for (const s of summary.folders) if (!inPlan.has(s.source)) rows.push(fromFolderSummary(s, summary.failed, null, summary.cancelled));
  return rows;
}

/**
 * A running copy: the plan's folders, each with its latest progress. Folders are copied one after
 * another, so every folder started before the latest one is finished.
 */
export function rowsFromRun(plan: SyncPlan, live: FolderProgress[], finished: Record<string, FolderSummary>, refused: MessageRef[]): FolderRow[] {
  const byFolder = new Map(live.map((p) => [p.folder, p]));
  const current = live.length > 0 ? live[live.length - 1]!.folder : null;
  return plan.folders.map((p) => {
    const fin = finished[p.source];
    if (fin) return fromFolderSummary(fin, refused, p.bytes, false);
    const l = byFolder.get(p.source);
    if (l) {
      const copying = l.folder === current;
      return { folder: p.source, target: l.target, total: l.messagesTotal, done: l.messagesDone, refused: refusedIn(refused, p.source), tooLarge: 0, bytesDone: copying ? l.bytesDone : null, bytesTotal: l.bytesTotal, state: copying ? 'copying' : 'done' };
    }
    return { folder: p.source, target: p.target, total: p.messages, done: p.alreadyDone, refused: 0, tooLarge: 0, bytesDone: null, bytesTotal: p.bytes, state: p.alreadyDone >= p.messages ? 'done' : 'waiting' };
  });
}

/** What the state database knows (after a restart, or while another Cutover copies). */
export function rowsFromStatus(status: PairStatus): FolderRow[] {
  return status.folders.map((f) => {
    const row = { folder: f.source, target: f.target, total: f.known, done: f.done, refused: f.failed, tooLarge: f.skipped, bytesDone: null, bytesTotal: null };
    return { ...row, state: settled(row) >= row.total ? 'done' : 'stopped' };
  });
}

/** The cards from the rows; `copied` is this run's count when there is a run to speak of. */
export function figuresOf(rows: FolderRow[], copied: number | null): CopyFigures {
  const sum = (pick: (r: FolderRow) => number): number => rows.reduce((n, r) => n + pick(r), 0);
  const inNew = sum((r) => r.done);
  const bytes = rows.every((r) => r.bytesTotal !== null) ? sum((r) => r.bytesTotal ?? 0) : null;
  const shownCopied = copied === null ? null : Math.min(copied, inNew);
  return {
    messages: sum((r) => r.total),
    folders: rows.length,
    bytes,
    inNew,
    copied: shownCopied,
    already: shownCopied === null ? null : inNew - shownCopied,
    left: sum((r) => Math.max(0, r.total - settled(r))),
    refused: sum((r) => r.refused),
    tooLarge: sum((r) => r.tooLarge),
  };
}

/**
 * What the wizard remembers of a finished run: "Mail copied" is the pair's total in the new
 * mailbox (from the state database), not only what the last run copied.
 */
export function lastSyncOf(summary: SyncSummary, status: PairStatus | null): NonNullable<WizardState['lastSync']> {
  const known = status !== null && status.known > 0;
  const onTarget = known ? status.done : summary.copied + summary.alreadyPresent;
  // Still refused, over every run of the pair (a message refused once and copied later no longer counts).
  const refused = known ? status.failed : summary.failed.filter((r) => !isFlagsOnly(r)).length;
  return { copied: onTarget, failed: refused, at: new Date().toISOString() };
}
