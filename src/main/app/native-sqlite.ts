import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The desktop app's engine runs in Electron's utility process, under Electron's Node ABI, while
 * `npm install` builds better-sqlite3 for the system Node (the CLI and the tests need that one). So
 * the app gets its own copy of the native module, built for Electron, kept apart in `native/` and
 * loaded through better-sqlite3's `nativeBinding` option in the Electron worker only. This file
 * decides which binary is needed, checks the one that is there and fetches the prebuilt one; it
 * runs in plain Node (`npm start`, `npm run dist`, the tests), never in Electron.
 */

export interface NativeTarget {
  electronVersion: string;
  /** Electron's NODE_MODULE_VERSION, e.g. "145" for Electron 41. */
  abi: string;
  platform: string;
  arch: string;
}

export const BINDING_FILE = 'better_sqlite3.node';

const require = createRequire(import.meta.url);

/** The Electron this checkout uses, from its package (its `abi_version` file, else node-abi's table). */
export function electronTarget(root: string, platform: string = process.platform, arch: string = process.arch): NativeTarget {
  const pkgDir = join(root, 'node_modules', 'electron');
  const electronVersion = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const abiFile = join(pkgDir, 'abi_version');
  const abi = existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : (require('node-abi') as { getAbi: (v: string, r: string) => string }).getAbi(electronVersion, 'electron');
  if (!/^\d+$/.test(abi)) throw new Error(`Electron ${electronVersion} reports no usable ABI ("${abi}").`);
  return { electronVersion, abi, platform, arch };
}

/** Where the Electron build of better-sqlite3 is kept for one Electron ABI and platform (outside node_modules/better-sqlite3). */
export function bindingPath(root: string, t: NativeTarget): string {
  return join(root, 'native', `better-sqlite3-electron-v${t.abi}-${t.platform}-${t.arch}`, BINDING_FILE);
}

/**
 * The NODE_MODULE_VERSION a native module was built for, read from the file without loading it: a
 * module that is not Node-API exports `node_register_module_v<ABI>` (ELF, Mach-O and PE alike).
 */
export function abiOfBinary(file: string): string | null {
  if (!existsSync(file)) return null;
  const found = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
  return found ? found[1]! : null;
}

export type BindingCheck = { state: 'ready'; path: string } | { state: 'missing'; path: string } | { state: 'wrong-abi'; path: string; found: string | null };

/** Whether the binary the app would load is there and built for this Electron. */
export function checkBinding(path: string, t: NativeTarget): BindingCheck {
  if (!existsSync(path)) return { state: 'missing', path };
  const found = abiOfBinary(path);
  return found === t.abi ? { state: 'ready', path } : { state: 'wrong-abi', path, found };
}

/** Fetches better-sqlite3's prebuilt binary for an Electron into `dest`; the reason in words when it could not. */
export type Fetcher = (t: NativeTarget, dest: string) => { ok: true } | { ok: false; reason: string };

/**
 * better-sqlite3 publishes prebuilt binaries per Electron ABI; prebuild-install (its own installer)
 * fetches them. It runs in an empty folder holding only better-sqlite3's package.json, so the
 * system-Node build in node_modules is never touched.
 */
export const fetchPrebuilt: Fetcher = (t, dest) => {
  const pkgFile = require.resolve('better-sqlite3/package.json');
  const bin = createRequire(pkgFile).resolve('prebuild-install/bin.js');
  const work = mkdtempSync(join(tmpdir(), 'cutover-sqlite-'));
  try {
    writeFileSync(join(work, 'package.json'), readFileSync(pkgFile));
    const run = spawnSync(process.execPath, [bin, '--runtime', 'electron', '--target', t.electronVersion, '--arch', t.arch, '--platform', t.platform, '--verbose'], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    const built = join(work, 'build', 'Release', BINDING_FILE);
    if (run.status !== 0 || !existsSync(built)) {
      const said = `${run.stderr ?? ''}${run.stdout ?? ''}`.split('\n').filter((l) => /err|fail|not found|404|ENOTFOUND|EAI_AGAIN/i.test(l)).slice(-2).join(' ').trim();
      return { ok: false, reason: said || `prebuild-install exited with ${run.status ?? run.signal}` };
    }
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(built, dest);
    return { ok: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export type EnsureResult = { ok: true; path: string; fetched: boolean } | { ok: false; message: string };

/** The sentence `npm start` / `npm run dist` print when the Electron build cannot be had. */
export function missingBindingMessage(t: NativeTarget, reason: string): string {
  return (
    `The desktop app needs the database module (better-sqlite3) built for Electron ${t.electronVersion} (Node ABI ${t.abi}, ${t.platform}-${t.arch}) and it could not be downloaded (${reason}). ` +
    `Run "npm start" again once this computer is online, or use "npm run web" for the same app in your browser.`
  );
}

/** Makes sure the Electron build of better-sqlite3 is in `native/`: uses it when right, else fetches it. */
export function ensureElectronSqlite(root: string, t: NativeTarget, fetch: Fetcher = fetchPrebuilt): EnsureResult {
  const path = bindingPath(root, t);
  const before = checkBinding(path, t);
  if (before.state === 'ready') return { ok: true, path, fetched: false };
  // A binary for another ABI (an Electron upgrade, a copied folder) is replaced, never loaded.
  if (before.state === 'wrong-abi') rmSync(path, { force: true });
  const got = fetch(t, path);
  if (!got.ok) return { ok: false, message: missingBindingMessage(t, got.reason) };
  const after = checkBinding(path, t);
  if (after.state !== 'ready') {
    rmSync(path, { force: true });
    return { ok: false, message: missingBindingMessage(t, `the downloaded file is built for Node ABI ${after.state === 'wrong-abi' ? (after.found ?? 'unknown') : 'none'}`) };
  }
  return { ok: true, path, fetched: true };
}

/**
 * The path the Electron worker loads the module from: `native/` beside the bundled main. Inside a
 * packed app that is in app.asar, but a native module must be loaded from the unpacked copy
 * electron-builder writes next to it (electron-builder.yml `asarUnpack`).
 */
export function packagedBindingPath(appDir: string): string {
  return join(appDir, 'native', BINDING_FILE).replace(/\.asar([\\/])/, '.asar.unpacked$1');
}
