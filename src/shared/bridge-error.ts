import { ERROR_CODES, type CutoverErrorData, type ErrorCode } from './errors.js';

/**
 * Electron's contextBridge copies only the message of an Error thrown into the page ("any custom
 * properties on the Error object will be lost"), so the preload puts the error's data into the
 * message and the renderer reads it back. Both ends live here so they cannot drift apart.
 */
const MARK = 'cutover-error:';

export function encodeBridgeError(data: CutoverErrorData): string {
  return MARK + JSON.stringify(data);
}

export function decodeBridgeError(message: string): CutoverErrorData | null {
  const at = message.indexOf(MARK);
  if (at < 0) return null;
  try {
    const data = JSON.parse(message.slice(at + MARK.length)) as Partial<CutoverErrorData> | null;
    // Checked by hand (no zod): the sandboxed preload bundles this file and should stay small.
    if (!data || !(ERROR_CODES as readonly string[]).includes(String(data.code)) || typeof data.message !== 'string' || typeof data.retryable !== 'boolean') return null;
    return { code: data.code as ErrorCode, message: data.message, retryable: data.retryable, ...(typeof data.detail === 'string' ? { detail: data.detail } : {}), ...(typeof data.retryAfterSeconds === 'number' ? { retryAfterSeconds: data.retryAfterSeconds } : {}) };
  } catch {
    return null;
  }
}
