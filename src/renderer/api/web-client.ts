import type { ApiEvent, CutoverApi } from '../../shared/app-api.js';
import { createApiProxy } from '../../shared/api-proxy.js';
import { checkSelection, displayFileName, FILE_TYPES, uploadLimits, type ChosenFile, type FilePurpose } from '../../shared/chosen-files.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import { callFrame, RPC_MESSAGE_LIMIT, utf8Length } from '../../shared/rpc-frame.js';

/** Error thrown in the renderer for a failed call; carries the engine's error data. */
export class ApiError extends Error {
  constructor(readonly data: CutoverErrorData) {
    super(data.message);
  }
}

const lost = (message: string): ApiError => new ApiError({ code: 'connection-lost', message, retryable: true });

/**
 * The shared API over the loopback web host. The secret comes from the page's own address and
 * stays in this page's memory: it goes with every request (the WebSocket's URL, each upload's
 * header), never into a cookie, which every server on 127.0.0.1 would receive. Implements the same
 * CutoverApi as the Electron preload, so the UI cannot tell them apart.
 *
 * No call can wait for ever, by design rather than by a timer: every frame sent is one the host
 * answers by its id (text, JSON, the id first, within the host's size limit, all checked here before
 * sending; a call that cannot be sent fails at once); a closed socket fails every waiting call; and
 * an error the host could not attribute to a call (id null, which this client's frames never cause)
 * means the connection is in an unknown state, so it is closed, failing every waiting call, and the
 * next call opens a new one.
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
      ws.onerror = () => reject(lost('Cutover is not reachable: is it still running?'));
      ws.onclose = () => {
        socket = null;
        for (const p of pending.values()) p.reject(lost('The connection to Cutover was lost.'));
        pending.clear();
      };
      ws.onmessage = (m) => {
        let msg: { id?: unknown; result?: unknown; error?: CutoverErrorData; event?: ApiEvent };
        try {
          msg = JSON.parse(String(m.data)) as typeof msg;
        } catch {
          return;
        }
        if (msg.event) {
          for (const l of listeners) l(msg.event);
          return;
        }
        if (msg.id === null && msg.error) {
          ws.close(4000, 'unattributed error');
          return;
        }
        const p = typeof msg.id === 'number' ? pending.get(msg.id) : undefined;
        if (!p) return;
        pending.delete(msg.id as number);
        if (msg.error) p.reject(new ApiError(msg.error));
        else p.resolve(msg.result);
      };
    });
    return socket;
  };
  const call = async (method: string, ...args: unknown[]): Promise<never> => {
    const id = next++;
    let frame: string;
    try {
      frame = callFrame(id, method, args);
    } catch {
      throw new ApiError({ code: 'internal', message: `The call ${method} could not be encoded.`, retryable: false });
    }
    const size = utf8Length(frame);
    if (size > RPC_MESSAGE_LIMIT) {
      throw new ApiError({ code: 'usage', message: `The call ${method} is ${size} bytes; at most ${RPC_MESSAGE_LIMIT} can be sent.`, retryable: false });
    }
    const ws = await open();
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(frame);
    });
  };
  return createApiProxy(
    (method, args) => call(method, ...args),
    (l) => {
      listeners.add(l);
      void open().catch(() => undefined);
      return () => listeners.delete(l);
    },
    (purpose) => chooseAndUpload(purpose, token),
  );
}

/**
 * The browser's file dialog, then each chosen file streamed to the web host (the browser reads it
 * from disk while sending; nothing is loaded into the page). The selection is checked against the
 * shared limits first, so an oversized file is refused before a byte is sent.
 */
async function chooseAndUpload(purpose: FilePurpose, token: string): Promise<ChosenFile[]> {
  const files = await pickFiles(purpose);
  if (files.length === 0) return [];
  const problem = checkSelection(files, uploadLimits(purpose));
  if (problem) throw new ApiError(problem);
  const chosen: ChosenFile[] = [];
  for (const file of files) {
    let res: Response;
    try {
      res = await fetch(`/upload?purpose=${purpose}&name=${encodeURIComponent(displayFileName(file.name))}`, {
        method: 'POST',
        headers: { 'X-Cutover-Token': token, 'Content-Type': 'application/octet-stream' },
        body: file,
      });
    } catch {
      throw lost(`"${file.name}" could not be sent to Cutover: is it still running?`);
    }
    const body = (await res.json().catch(() => null)) as { file?: ChosenFile; error?: CutoverErrorData } | null;
    if (!res.ok || !body?.file) throw body?.error ? new ApiError(body.error) : lost(`"${file.name}" could not be sent to Cutover (HTTP ${res.status}).`);
    chosen.push(body.file);
  }
  return chosen;
}

/** A hidden `<input type=file>`; resolves [] when the dialog is cancelled. Must run inside the click. */
function pickFiles(purpose: FilePurpose): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = purpose !== 'outlook';
    input.hidden = true;
    input.accept = [...FILE_TYPES[purpose].extensions.map((e) => `.${e}`), ...FILE_TYPES[purpose].mimeTypes].join(',');
    const done = (files: File[]): void => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => done([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => done([]), { once: true });
    document.body.append(input);
    input.click();
  });
}

export function errorText(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}
