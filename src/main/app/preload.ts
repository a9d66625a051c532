import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEvent, CutoverApi } from '../../shared/app-api.js';
import type { ChosenFile, FilePurpose } from '../../shared/chosen-files.js';
import { createApiProxy } from '../../shared/api-proxy.js';
import { encodeBridgeError } from '../../shared/bridge-error.js';
import type { CutoverErrorData } from '../../shared/errors.js';

// The only bridge into the page: the typed API object, never raw ipcRenderer.
type Reply = { ok: true; value: unknown } | { ok: false; error: CutoverErrorData };

const settle = (reply: Reply): never => {
  // contextBridge keeps only an Error's message: the error's data travels inside it.
  if (!reply.ok) throw new Error(encodeBridgeError(reply.error));
  return reply.value as never;
};

const call = async (method: string, ...args: unknown[]): Promise<never> => settle((await ipcRenderer.invoke('cutover:call', method, args)) as Reply);

/** Main shows the open-file dialog and keeps the paths; the page gets refs. */
const chooseFiles = async (purpose: FilePurpose): Promise<ChosenFile[]> => settle((await ipcRenderer.invoke('cutover:choose-files', purpose)) as Reply);

const api: CutoverApi = createApiProxy(
  (method, args) => call(method, ...args),
  (listener) => {
    const handler = (_e: unknown, event: ApiEvent): void => listener(event);
    ipcRenderer.on('cutover:event', handler);
    return () => ipcRenderer.off('cutover:event', handler);
  },
  chooseFiles,
);
contextBridge.exposeInMainWorld('cutover', api);
