import type { MessageRef } from '../../shared/sync-types.js';
import { figuresOf, rowsFromRun, rowsFromStatus, rowsFromSummary, type CopyFigures, type FolderRow } from './copy-numbers.js';
import type { CopyJob } from './use-copy-job.js';

/**
 * Where the copy of this pair stands, as the page shows it:
 * idle → running → paused | done | failed; after a restart, interrupted (Resume) or complete.
 */
export type CopyPhase = 'idle' | 'running' | 'paused' | 'done' | 'failed' | 'interrupted' | 'complete';

export interface CopyView {
  phase: CopyPhase;
  rows: FolderRow[];
  /** Null while nothing is counted yet (before the plan of a new run). */
  figures: CopyFigures | null;
  /** Messages refused and left out (too large), as far as this session saw them. */
  refused: MessageRef[];
  tooLarge: MessageRef[];
}

/** One source of truth at a time, so the cards, the sentence and the table always say the same. */
export function copyView(job: CopyJob): CopyView {
  const { summary, status, plan } = job;
  if (job.jobId !== null) {
    const rows = plan ? rowsFromRun(plan, job.folders, job.finished, job.failed) : [];
    const inNew = rows.reduce((n, r) => n + r.done, 0);
    return { phase: 'running', rows, figures: plan ? figuresOf(rows, Math.max(0, inNew - plan.alreadyDone)) : null, refused: job.failed, tooLarge: [] };
  }
  const stored = status && status.known > 0 ? rowsFromStatus(status) : [];
  if (job.error) {
    return { phase: 'failed', rows: stored, figures: stored.length ? figuresOf(stored, null) : null, refused: job.failed, tooLarge: [] };
  }
  if (summary) {
    const phase: CopyPhase = summary.folderErrors.length > 0 ? 'failed' : summary.cancelled ? 'paused' : 'done';
    const rows = summary.plan ? rowsFromSummary(summary) : stored;
    return { phase, rows, figures: rows.length ? figuresOf(rows, summary.plan ? summary.copied : null) : null, refused: summary.failed, tooLarge: summary.skipped };
  }
  if (stored.length > 0) {
    const figures = figuresOf(stored, null);
    return { phase: figures.left > 0 ? 'interrupted' : 'complete', rows: stored, figures, refused: [], tooLarge: [] };
  }
  return { phase: 'idle', rows: [], figures: null, refused: [], tooLarge: [] };
}
