import { setTimeout as sleep } from 'node:timers/promises';
import { CutoverError } from '../../../shared/errors.js';
import type { SyncEvent } from '../../../shared/sync-types.js';

export interface ReconnectOptions {
  signal: AbortSignal;
  folder: string;
  emit: (event: SyncEvent) => void;
  maxAttempts?: number;
  baseDelayMs?: number;
}

/**
 * Runs one folder pass; when the connection breaks (or the server throttles), waits with
 * exponential backoff and runs the pass again on fresh connections. That is safe because a folder
 * pass is idempotent (see folder-pass.ts). Errors that another try cannot fix pass straight through.
 */
export async function withReconnect<T>(attempt: (fresh: boolean) => Promise<T>, options: ReconnectOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.baseDelayMs ?? 250;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n > 0);
    } catch (err) {
      if (!(err instanceof CutoverError) || !err.retryable || n + 1 >= maxAttempts || options.signal.aborted) throw err;
      // A throttling server says how long to wait; otherwise back off exponentially.
      const delayMs = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : Math.min(base * 2 ** n, 15_000);
      if (err.code === 'throttled') options.emit({ type: 'throttled', folder: options.folder, waitSeconds: Math.ceil(delayMs / 1000) });
      options.emit({ type: 'reconnecting', folder: options.folder, attempt: n + 1, delayMs, error: err.toData() });
      try {
        await sleep(delayMs, undefined, { signal: options.signal });
      } catch {
        throw new CutoverError({ code: 'cancelled', message: 'The sync was cancelled.', retryable: false });
      }
    }
  }
}
