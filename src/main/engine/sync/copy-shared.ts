import { CutoverError } from '../../../shared/errors.js';
import type { FolderSummary, MessageRef } from '../../../shared/sync-types.js';
import type { MessageRow } from '../state/sync-state.js';
import type { ProgressMeter } from './progress-meter.js';

/** What copy-folder.ts and store-batches.ts share. */
export interface BatchReport {
  summary: FolderSummary;
  failed: MessageRef[];
  meter: ProgressMeter;
  /** Target UIDs of messages copied with \Flagged (see storeFlaggedAfterAppend). */
  flaggedCopies: number[];
}

export interface CopyItem {
  row: MessageRow;
  internalDate: Date | null;
}

export function countDropped(summary: FolderSummary, dropped: string[]): void {
  for (const flag of dropped) summary.keywordsNotKept[flag] = (summary.keywordsNotKept[flag] ?? 0) + 1;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CutoverError({ code: 'cancelled', message: 'The sync was cancelled.', retryable: false });
}
