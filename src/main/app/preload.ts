import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEvent, CutoverApi } from '../../shared/app-api.js';
import type { CutoverErrorData } from '../../shared/errors.js';

// The only bridge into the page: the typed API object, never raw ipcRenderer.
type Reply = { ok: true; value: unknown } | { ok: false; error: CutoverErrorData };

const call = async (method: string, ...args: unknown[]): Promise<never> => {
  const reply = (await ipcRenderer.invoke('cutover:call', method, args)) as Reply;
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { data: reply.error });
  return reply.value as never;
};

const api: CutoverApi = {
  appInfo: () => call('appInfo'),
  getWizardState: () => call('getWizardState'),
  saveWizardState: (s) => call('saveWizardState', s),
  suggestServers: (e) => call('suggestServers', e),
  testConnection: (a, r) => call('testConnection', a, r),
  planFolders: (s, t) => call('planFolders', s, t),
  preflight: (s, t) => call('preflight', s, t),
  startSync: (s, t, r) => call('startSync', s, t, r),
  cancelJob: (id) => call('cancelJob', id),
  compare: (s, t) => call('compare', s, t),
  m365Status: () => call('m365Status'),
  m365SignIn: (o) => call('m365SignIn', o),
  m365SignOut: () => call('m365SignOut'),
  previewPim: (k, f, z) => call('previewPim', k, f, z),
  copyPim: (k, f, u, z) => call('copyPim', k, f, u, z),
  onEvent: (listener) => {
    const handler = (_e: unknown, event: ApiEvent): void => listener(event);
    ipcRenderer.on('cutover:event', handler);
    return () => ipcRenderer.off('cutover:event', handler);
  },
};
contextBridge.exposeInMainWorld('cutover', api);
