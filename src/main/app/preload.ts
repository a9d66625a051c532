import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEvent, CutoverApi } from '../../shared/app-api.js';
import { createApiProxy } from '../../shared/api-proxy.js';
import { encodeBridgeError } from '../../shared/bridge-error.js';
import type { CutoverErrorData } from '../../shared/errors.js';

// The only bridge into the page: the typed API object, never raw ipcRenderer.
type Reply = { ok: true; value: unknown } | { ok: false; error: CutoverErrorData };

const call = async (method: string, ...args: unknown[]): Promise<never> => {
  const reply = (await ipcRenderer.invoke('cutover:call', method, args)) as Reply;
  // contextBridge keeps only an Error's message: the error's data travels inside it.
  if (!reply.ok) throw new Error(encodeBridgeError(reply.error));
  return reply.value as never;
};

const api: CutoverApi = createApiProxy(
  (method, args) => call(method, ...args),
  (listener) => {
    const handler = (_e: unknown, event: ApiEvent): void => listener(event);
    ipcRenderer.on('cutover:event', handler);
    return () => ipcRenderer.off('cutover:event', handler);
  },
);
contextBridge.exposeInMainWorld('cutover', api);
