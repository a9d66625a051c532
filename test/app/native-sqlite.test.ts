import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abiOfBinary, bindingPath, checkBinding, electronTarget, ensureElectronSqlite, packagedBindingPath, type Fetcher } from '../../src/main/app/native-sqlite.js';
import { REPO_ROOT } from '../harness/run-cli.js';

const require = createRequire(import.meta.url);
/** The better-sqlite3 that npm install built: for the system Node, which the CLI and the tests use. */
const systemBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

/** A checkout with only Electron's package (version and ABI), so `native/` can be filled and emptied freely. */
function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'cutover-native-'));
  mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true });
  for (const f of ['package.json', 'abi_version']) copyFileSync(join(REPO_ROOT, 'node_modules', 'electron', f), join(root, 'node_modules', 'electron', f));
  return root;
}

/** Decision logic only: a file that declares an ABI, as a real module's exported symbol does (it is not a loadable module). */
const declaring = (abi: string): Fetcher => (_t, dest) => {
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, `\0ELF...node_register_module_v${abi}\0...`);
  return { ok: true };
};

describe('better-sqlite3 for the desktop app', () => {
  it('knows which ABI the app’s Electron needs, and that npm install’s build is for the system Node instead', () => {
    const electron = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
    const t = electronTarget(REPO_ROOT);
    expect(t.electronVersion).toBe(electron.version);
    expect(t.abi).toBe((require('node-abi') as { getAbi: (v: string, r: string) => string }).getAbi(electron.version, 'electron'));
    expect(t.abi).not.toBe(process.versions.modules);
    // The exact defect: loading node_modules' build in Electron would fail ("compiled against a different Node.js version").
    expect(abiOfBinary(systemBuild)).toBe(process.versions.modules);
    expect(checkBinding(systemBuild, t)).toEqual({ state: 'wrong-abi', path: systemBuild, found: process.versions.modules });
    expect(bindingPath(REPO_ROOT, t)).toBe(join(REPO_ROOT, 'native', `better-sqlite3-electron-v${t.abi}-${process.platform}-${process.arch}`, 'better_sqlite3.node'));
  });

  it('fetches the Electron build when it is missing, uses it when it is right, and never keeps one for another ABI', () => {
    const root = fakeRoot();
    const t = electronTarget(root);
    let fetched = 0;
    const counting: Fetcher = (target, dest) => (fetched++, declaring(target.abi)(target, dest));
    expect(ensureElectronSqlite(root, t, counting)).toEqual({ ok: true, path: bindingPath(root, t), fetched: true });
    expect(ensureElectronSqlite(root, t, counting)).toEqual({ ok: true, path: bindingPath(root, t), fetched: false });
    expect(fetched).toBe(1);
    // A system-Node build (or an old Electron's) in its place is replaced, not loaded.
    copyFileSync(systemBuild, bindingPath(root, t));
    expect(ensureElectronSqlite(root, t, counting).ok).toBe(true);
    expect(fetched).toBe(2);
    expect(abiOfBinary(bindingPath(root, t))).toBe(t.abi);
  });

  it('says in one sentence what is missing when the Electron build cannot be had, and leaves nothing half-there', () => {
    const root = fakeRoot();
    const t = electronTarget(root);
    const offline = ensureElectronSqlite(root, t, () => ({ ok: false, reason: 'getaddrinfo ENOTFOUND github.com' }));
    expect(offline.ok).toBe(false);
    if (!offline.ok) {
      expect(offline.message).toContain(`Electron ${t.electronVersion} (Node ABI ${t.abi}, ${process.platform}-${process.arch})`);
      expect(offline.message).toContain('getaddrinfo ENOTFOUND github.com');
      expect(offline.message).toContain('npm run web');
    }
    const wrong = ensureElectronSqlite(root, t, declaring(process.versions.modules));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toContain(`built for Node ABI ${process.versions.modules}`);
    expect(existsSync(bindingPath(root, t))).toBe(false);
  });

  it('is loaded from the unpacked copy beside the asar in a packed app, and from out/native with npm start', () => {
    expect(packagedBindingPath('/opt/Cutover/resources/app.asar/out')).toBe('/opt/Cutover/resources/app.asar.unpacked/out/native/better_sqlite3.node');
    expect(packagedBindingPath('C:\\Program Files\\Cutover\\resources\\app.asar\\out'.replace(/\\/g, '/'))).toBe('C:/Program Files/Cutover/resources/app.asar.unpacked/out/native/better_sqlite3.node');
    expect(packagedBindingPath(join(REPO_ROOT, 'out'))).toBe(join(REPO_ROOT, 'out', 'native', 'better_sqlite3.node'));
  });
});
