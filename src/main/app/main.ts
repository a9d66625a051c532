import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, shell, type WebPreferences } from 'electron';
import { CutoverService } from '../engine/service/cutover-service.js';
import { dispatch } from '../rpc/dispatch.js';
import { SafeStorageSecretStore } from './safe-storage-store.js';

/** Every window gets the same locked-down preferences (one place, so none can be forgotten). */
export function secureWebPreferences(preload: string): WebPreferences {
  return { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false };
}

const here = fileURLToPath(new URL('.', import.meta.url));

const stateDir = join(app.getPath('userData'), 'state');
const service = new CutoverService({
  stateDir,
  host: 'electron',
  secretStore: new SafeStorageSecretStore(join(stateDir, 'm365-token-cache.bin')),
  openBrowser: (url) => shell.openExternal(url),
  openPath: (path) => shell.openPath(path),
});
let running = 0;
service.onEvent((event) => {
  if (event.type === 'sync-finished') running = Math.max(0, running - 1);
  for (const w of BrowserWindow.getAllWindows()) w.webContents.send('cutover:event', event);
});

// Calls are accepted only from our own page in its top frame, and validated before the engine sees them.
ipcMain.handle('cutover:call', async (event, method: unknown, args: unknown) => {
  const frame = event.senderFrame;
  const ours = pathToFileURL(join(here, 'renderer', 'index.html')).href;
  if (!frame || frame !== event.sender.mainFrame || frame.url.split(/[?#]/)[0] !== ours) {
    return { ok: false, error: { code: 'usage', message: 'Calls are accepted only from Cutover’s own window.', retryable: false } };
  }
  const reply = await dispatch(service, method, args);
  if (reply.ok && method === 'startSync') running++;
  return reply;
});

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    title: 'Cutover',
    show: false,
    webPreferences: secureWebPreferences(join(here, 'preload.cjs')),
  });
  // No navigation away from the app and no new windows; links open in the system browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  // Closing while mail is being copied asks first; the copy resumes from its state on the next start.
  window.on('close', (event) => {
    if (running === 0) return;
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Keep copying', 'Stop and close'],
      defaultId: 0,
      cancelId: 0,
      message: 'Mail is still being copied.',
      detail: 'If you close Cutover now, the copy stops; starting it again later continues where it stopped, without duplicates.',
    });
    if (choice === 0) event.preventDefault();
  });
  void window.loadFile(join(here, 'renderer', 'index.html'));
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
