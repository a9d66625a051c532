import { API_ARGUMENTS, API_METHODS, describeIssues, type ApiMethod, type CutoverApi } from '../../shared/app-api.js';
import { CutoverError, isCutoverError, type CutoverErrorData } from '../../shared/errors.js';

export type RpcResult = { ok: true; value: unknown } | { ok: false; error: CutoverErrorData };

/**
 * The single door from a host transport (Electron IPC, the web host's WebSocket) into the engine:
 * the method must be one of the API's, and its arguments must pass the API's schema, or the call is
 * refused with an error naming what is wrong. Errors always come back as data, never as a crash.
 */
export async function dispatch(api: Omit<CutoverApi, 'onEvent'>, method: unknown, args: unknown): Promise<RpcResult> {
  if (typeof method !== 'string' || !(API_METHODS as string[]).includes(method)) {
    return { ok: false, error: { code: 'usage', message: `Unknown call "${String(method).slice(0, 60)}".`, retryable: false } };
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
    const error = isCutoverError(err) ? err : new CutoverError({ code: 'internal', message: (err as Error)?.message ?? String(err), retryable: false });
    return { ok: false, error: error.toData() };
  }
}
