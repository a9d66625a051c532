import { CutoverError } from '../../../shared/errors.js';
import type { MessageRow } from '../state/sync-state.js';

/** One message to copy: its journal row and the INTERNALDATE it keeps. */
export interface CopyItem {
  row: MessageRow;
  internalDate: Date | null;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CutoverError({ code: 'cancelled', message: 'The sync was cancelled.', retryable: false });
}

/** The error a cancelled run ends with (see throwIfCancelled). */
export function isCancelled(err: unknown): boolean {
  return err instanceof CutoverError && err.code === 'cancelled';
}
