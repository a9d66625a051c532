import { decodeBridgeError } from '../../shared/bridge-error.js';
import type { CutoverErrorData } from '../../shared/errors.js';

/**
 * The engine's error data behind a failed call, whichever host is behind the API: the web client
 * attaches it to the error, the Electron preload packs it into the message. Anything else (a bug in
 * the page) is an internal problem; its text is never shown.
 */
export function problemOf(err: unknown): CutoverErrorData {
  if (err && typeof err === 'object' && 'data' in err) {
    const data = (err as { data: unknown }).data;
    if (data && typeof data === 'object' && 'code' in data && typeof (data as { code: unknown }).code === 'string') return data as CutoverErrorData;
  }
  const fromBridge = err instanceof Error ? decodeBridgeError(err.message) : null;
  return fromBridge ?? { code: 'internal', message: String(err instanceof Error ? err.message : err), retryable: false };
}
