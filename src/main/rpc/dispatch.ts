import { API_ARGUMENTS, API_METHODS, describeIssues, type ApiMethod, type EngineApi } from '../../shared/app-api.js';
import { isCutoverError, type CutoverErrorData } from '../../shared/errors.js';

export type RpcResult = { ok: true; value: unknown } | { ok: false; error: CutoverErrorData };

/**
 * The single door from a host transport (Electron IPC, the web host's WebSocket) into the engine:
 * the method must be one of the API's, and its arguments must pass the API's schema, or the call is
 * refused with an error naming what is wrong. Errors always come back as data, never as a crash.
 */
export async function dispatch(api: Omit<EngineApi, 'onEvent'>, method: unknown, args: unknown): Promise<RpcResult> {
  if (typeof method !== 'string' || !(API_METHODS as string[]).includes(method)) {
    // Never String() a value from outside: an object with its own "toString" would throw here.
    const what = typeof method === 'string' ? `"${method.slice(0, 60)}"` : `of type ${method === null ? 'null' : typeof method}`;
    return { ok: false, error: { code: 'usage', message: `Unknown call ${what}.`, retryable: false } };
  }
  const schema = API_ARGUMENTS[method as ApiMethod];
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    return { ok: false, error: { code: 'usage', message: `Invalid arguments for ${method}: ${describeIssues(parsed.error)}.`, retryable: false } };
  }
  try {
    const fn = api[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await fn.apply(api, parsed.data as unknown[]) };
  } catch (err) {
    if (isCutoverError(err)) return { ok: false, error: err.toData() };
    // A bug, not an expected failure: the library's words go to `detail` (logs), not to a person.
    const detail = err instanceof Error ? err.message : typeof err === 'string' ? err : undefined;
    return { ok: false, error: { code: 'internal', message: `Cutover failed unexpectedly while running ${method}.`, retryable: false, ...(detail ? { detail: detail.slice(0, 500) } : {}) } };
  }
}
