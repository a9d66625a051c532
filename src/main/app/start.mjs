// `npm start`: bundles the Electron main process, preload and renderer, then launches Electron.
// npm install does not run Electron's download script (package.json allowScripts), so the first
// start fetches Electron's program; where it cannot be had, say so in one sentence.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
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

const out = `${root}/out`;
// The bundler is TypeScript too (shared with the web host): load it through tsx, like the CLI.
register();
const { buildElectronApp } = await import('../bundle-app.ts');
await buildElectronApp(out);

const child = spawn(binary, [`${out}/main.mjs`], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
