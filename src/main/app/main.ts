import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, shell, utilityProcess, type IpcMainInvokeEvent, type UtilityProcess, type WebPreferences } from 'electron';
import { z } from 'zod';
import { checkSelection, displayFileName, fileRefSchema, filePurposeSchema, FILE_TYPES, PURPOSE_LIMITS } from '../../shared/chosen-files.js';
import { FileRegistry } from '../engine/service/for-hosts.js';
import type { RpcResult } from '../rpc/dispatch.js';
import { ENGINE_ENV, ENGINE_NODE_FLAGS } from '../engine-process.js';
import { packagedBindingPath } from './native-sqlite.js';
import { SafeStorageSecretStore } from './safe-storage-store.js';
import type { MainToWorker, WorkerToMain } from './worker-protocol.js';

/** Every window gets the same locked-down preferences (one place, so none can be forgotten). */
export function secureWebPreferences(preload: string): WebPreferences {
  return { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false };
}

const here = fileURLToPath(new URL('.', import.meta.url));

const stateDir = join(app.getPath('userData'), 'state');
// better-sqlite3 built for Electron's ABI (npm start and npm run dist put it there; see native-sqlite.ts).
const sqliteBinding = packagedBindingPath(here);
const secrets = new SafeStorageSecretStore(join(stateDir, 'm365-token-cache.bin'));
/** Files the user chose in the open-file dialog; the page only ever holds their refs. */
const chosenFiles = new FileRegistry();
/** What the engine asks when it resolves a ref (worker-protocol.ts). */
const resolveRequest = z.object({ ref: fileRefSchema, purpose: filePurposeSchema });
let running = 0;

/**
 * The engine runs in a utility process. Main relays the window's calls to it and its events back,
 * answers the few requests only main may serve, and restarts it after a crash, unless it keeps
 * crashing, in which case the window is told why instead of looping.
 */
class EngineHost {
  private child: UtilityProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: RpcResult) => void>();
  private crashes: number[] = [];

  call(method: unknown, args: unknown): Promise<RpcResult> {
    const child = this.ensure();
    if (!child) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'Cutover’s engine keeps stopping; restart Cutover and see the log folder.', retryable: false } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.postMessage({ kind: 'call', id, method, args } satisfies MainToWorker);
    });
  }

  private ensure(): UtilityProcess | null {
    if (this.child) return this.child;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 60_000);
    if (this.crashes.length >= 3) return null;
    const child = utilityProcess.fork(join(here, 'worker.mjs'), [stateDir, sqliteBinding], { serviceName: 'Cutover engine', execArgv: [...ENGINE_NODE_FLAGS], env: { ...process.env, ...ENGINE_ENV } });
    child.on('message', (m: WorkerToMain) => void this.onMessage(child, m));
    child.on('exit', (code) => {
      this.child = null;
      if (code !== 0) this.crashes.push(Date.now());
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'internal', message: `Cutover’s engine stopped (exit code ${code}); the work can be started again and continues where it stopped.`, retryable: true } });
      this.pending.clear();
      running = 0;
    });
    this.child = child;
    return child;
  }

  private async onMessage(child: UtilityProcess, m: WorkerToMain): Promise<void> {
    if (m.kind === 'result') {
      this.pending.get(m.id)?.(m.result);
      this.pending.delete(m.id);
    } else if (m.kind === 'event') {
      if (m.event.type === 'sync-finished') running = Math.max(0, running - 1);
      for (const w of BrowserWindow.getAllWindows()) w.webContents.send('cutover:event', m.event);
    } else {
      let value: string | null = null;
      let error: string | null = null;
      try {
        if (m.what === 'secret-read') value = await secrets.read();
        else if (m.what === 'secret-write') await secrets.write(m.value ?? '');
        else if (m.what === 'secret-remove') await secrets.remove();
        else if (m.what === 'open-browser' && m.value && /^https:\/\//.test(m.value)) await shell.openExternal(m.value);
        else if (m.what === 'open-path' && m.value) value = await shell.openPath(m.value);
        else if (m.what === 'resolve-file' && m.value) {
          const asked = resolveRequest.safeParse(JSON.parse(m.value));
          const file = asked.success ? await chosenFiles.resolve(asked.data.ref, asked.data.purpose) : null;
          value = file ? JSON.stringify(file) : null;
        }
      } catch (err) {
        error = (err as Error).message;
      }
      child.postMessage({ kind: 'reply', id: m.id, value, error } satisfies MainToWorker);
    }
  }
}
const engine = new EngineHost();

/** Calls are accepted only from our own page in its top frame. */
function fromOurWindow(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const ours = pathToFileURL(join(here, 'renderer', 'index.html')).href;
  return !!frame && frame === event.sender.mainFrame && frame.url.split(/[?#]/)[0] === ours;
}
const notOurs: RpcResult = { ok: false, error: { code: 'usage', message: 'Calls are accepted only from Cutover’s own window.', retryable: false } };

// Calls are validated (in the worker) before the engine sees them.
ipcMain.handle('cutover:call', async (event, method: unknown, args: unknown) => {
  if (!fromOurWindow(event)) return notOurs;
  const reply = await engine.call(method, args);
  if (reply.ok && method === 'startSync') running++;
  return reply;
});

// Choosing files happens here, in main: the dialog gives paths, the page gets refs (never paths).
ipcMain.handle('cutover:choose-files', async (event, purpose: unknown): Promise<RpcResult> => {
  if (!fromOurWindow(event)) return notOurs;
  const kind = filePurposeSchema.safeParse(purpose);
  if (!kind.success) return { ok: false, error: { code: 'usage', message: 'Files can be chosen for contacts, calendar or Outlook’s data file only.', retryable: false } };
  const window = BrowserWindow.fromWebContents(event.sender);
  const words = { contacts: { title: 'Choose address book exports', filter: 'Address books' }, calendar: { title: 'Choose calendar exports', filter: 'Calendars' }, outlook: { title: 'Choose Outlook’s data file', filter: 'Outlook data files' } }[kind.data];
  const options = {
    title: words.title,
    // An Outlook data file is one file, read in place (it may be many GB): chosen alone.
    properties: (kind.data === 'outlook' ? ['openFile'] : ['openFile', 'multiSelections']) as ('openFile' | 'multiSelections')[],
    filters: [{ name: words.filter, extensions: FILE_TYPES[kind.data].extensions }, { name: 'All files', extensions: ['*'] }],
  };
  const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (picked.canceled) return { ok: true, value: [] };
  try {
    const files = picked.filePaths.map((path) => ({ path, name: displayFileName(basename(path)), size: statSync(path).size }));
    const problem = checkSelection(files, PURPOSE_LIMITS[kind.data]);
    if (problem) return { ok: false, error: problem };
    return { ok: true, value: files.map((f) => chosenFiles.register({ ...f, purpose: kind.data })) };
  } catch (err) {
    return { ok: false, error: { code: 'file-unavailable', message: 'A chosen file cannot be read.', retryable: false, detail: (err as NodeJS.ErrnoException).code ?? String(err) } };
  }
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

if (!existsSync(sqliteBinding)) {
  // Without it the engine could not open its state: say so instead of failing at the first step.
  app.whenReady().then(() => {
    dialog.showErrorBox('Cutover cannot start', `A part of Cutover is missing (${sqliteBinding}). Install Cutover again.`);
    app.quit();
  }, () => app.quit());
} else if (!app.requestSingleInstanceLock()) {
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
