// `npm run dist [-- --dir]`: the desktop app packaged by electron-builder for this computer's OS
// (electron-builder.yml: AppImage and .deb on Linux, an NSIS installer on Windows, a .dmg on macOS)
// into dist/. Like `npm start` it first bundles into out/ and puts better-sqlite3 built for Electron
// into out/native/ (unpacked from the asar, loaded by the engine worker). Electron's own zip comes
// from node_modules/electron/dist when `npm start` already downloaded it, else electron-builder
// downloads it. For the packaging test: CUTOVER_ELECTRON_DIST (another unpacked Electron),
// CUTOVER_SQLITE_BINDING (the module file to pack) and CUTOVER_DIST_OUTPUT (instead of dist/).
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dirOnly = process.argv.includes('--dir');

register();
const { electronTarget, ensureElectronSqlite, BINDING_FILE } = await import('./native-sqlite.ts');
const sqlite = process.env.CUTOVER_SQLITE_BINDING ? { ok: true, path: process.env.CUTOVER_SQLITE_BINDING } : ensureElectronSqlite(root, electronTarget(root));
if (!sqlite.ok) {
  console.error(sqlite.message);
  process.exit(1);
}
const out = join(root, 'out');
rmSync(out, { recursive: true, force: true });
const { buildElectronApp } = await import('../bundle-app.ts');
await buildElectronApp(out);
mkdirSync(join(out, 'native'), { recursive: true });
copyFileSync(sqlite.path, join(out, 'native', BINDING_FILE));

const { build } = await import('electron-builder');
const localElectron = process.env.CUTOVER_ELECTRON_DIST ?? join(root, 'node_modules', 'electron', 'dist');
try {
  await build({
    projectDir: root,
    publish: 'never',
    ...(dirOnly ? { dir: true } : {}),
    // Merged over electron-builder.yml.
    config: {
      ...(existsSync(localElectron) ? { electronDist: localElectron } : {}),
      ...(process.env.CUTOVER_DIST_OUTPUT ? { directories: { output: process.env.CUTOVER_DIST_OUTPUT, buildResources: 'assets' } } : {}),
    },
  });
} catch (err) {
  const text = String(err?.message ?? err);
  console.error(/getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|download/i.test(text)
    ? `Electron's program for packaging could not be downloaded (${text.split('\n')[0]}); run "npm run dist" again once this computer is online.`
    : `Packaging failed: ${text.split('\n')[0]}`);
  process.exit(1);
}
