import { contextBridge } from 'electron';
import type { CutoverApi } from '../../shared/app-api.js';

// The only bridge into the page: a typed object, never raw ipcRenderer.
const api: CutoverApi = { appVersion: '0.1.0' };
contextBridge.exposeInMainWorld('cutover', api);
