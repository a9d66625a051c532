import type { ApiEvent, CutoverApi } from '../../shared/app-api.js';
import { createApiProxy } from '../../shared/api-proxy.js';
import type { CutoverErrorData } from '../../shared/errors.js';

/** Error thrown in the renderer for a failed call; carries the engine's error data. */
export class ApiError extends Error {
  constructor(readonly data: CutoverErrorData) {
    super(data.message);
  }
}

/**
 * The shared API over the loopback web host's WebSocket (the secret comes from the page's own
 * address). Implements the same CutoverApi as the Electron preload, so the UI cannot tell them apart.
 */
export function createWebClient(location: Location): CutoverApi {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
  let socket: Promise<WebSocket> | null = null;
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: ApiEvent) => void>();
  const open = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new ApiError({ code: 'connection-lost', message: 'Cutover is not reachable: is it still running?', retryable: true }));
      ws.onclose = () => {
        socket = null;
        for (const p of pending.values()) p.reject(new ApiError({ code: 'connection-lost', message: 'The connection to Cutover was lost.', retryable: true }));
        pending.clear();
      };
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown; error?: CutoverErrorData; event?: ApiEvent };
        if (msg.event) {
          for (const l of listeners) l(msg.event);
          return;
        }
        const p = msg.id !== undefined ? pending.get(msg.id) : undefined;
        if (!p) return;
        pending.delete(msg.id!);
        if (msg.error) p.reject(new ApiError(msg.error));
        else p.resolve(msg.result);
      };
    });
    return socket;
  };
  const call = async (method: string, ...args: unknown[]): Promise<never> => {
    const ws = await open();
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, args }));
    });
  };
  return createApiProxy(
    (method, args) => call(method, ...args),
    (l) => {
      listeners.add(l);
      void open();
      return () => listeners.delete(l);
    },
  );
}

export function errorText(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}
