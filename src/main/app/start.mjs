// `npm start`: bundles the Electron main process, preload and renderer, puts better-sqlite3 built for
// Electron beside them, then launches Electron. npm install does not run Electron's download script
// (package.json allowScripts), so the first start fetches Electron's program and the database
// module's Electron build; where either cannot be had, it says so in one sentence.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../..', import.meta.url));

function electronBinary() {
  try {
    delete require.cache[require.resolve('electron')];
    return require('electron');
  } catch {
    return null;
  }
}

let binary = electronBinary();
if (!binary) {
  spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'ignore', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  binary = electronBinary();
}
if (!binary) {
  console.error('Electron could not be downloaded on this machine, so the desktop window cannot open here; run "npm run web" to use the same app in your browser.');
  process.exit(1);
}

// The bundler and the native-module logic are TypeScript too (shared with the web host and the tests): load them through tsx.
register();
const { electronTarget, ensureElectronSqlite, BINDING_FILE } = await import('./native-sqlite.ts');
const sqlite = ensureElectronSqlite(root, electronTarget(root));
if (!sqlite.ok) {
  console.error(sqlite.message);
  process.exit(1);
}

const out = join(root, 'out');
const { buildElectronApp } = await import('../bundle-app.ts');
await buildElectronApp(out);
mkdirSync(join(out, 'native'), { recursive: true });
copyFileSync(sqlite.path, join(out, 'native', BINDING_FILE));

const child = spawn(binary, [join(out, 'main.mjs')], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
