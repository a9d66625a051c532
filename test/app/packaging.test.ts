import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagedBindingPath } from '../../src/main/app/native-sqlite.js';
import { REPO_ROOT } from '../harness/run-cli.js';

const require = createRequire(import.meta.url);

/**
 * Electron's program cannot be downloaded here, so electron-builder packs the app around a stand-in
 * Electron folder: what this proves is the app's own layout inside the package (the asar, what is
 * unpacked, the entry points), not that Electron runs it.
 */
describe('npm run dist', () => {
  it('packs the bundles into the asar with the native module unpacked beside it, where the app loads it from', () => {
    if (process.platform !== 'linux') return;
    const work = mkdtempSync(join(tmpdir(), 'cutover-dist-'));
    const electron = join(work, 'electron');
    mkdirSync(electron);
    writeFileSync(join(electron, 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(electron, 'electron'), 0o755);
    // Layout only: the system-Node build stands in for the Electron one (it is never loaded here).
    const binding = join(work, 'better_sqlite3.node');
    copyFileSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node'), binding);
    const output = join(work, 'dist');
    const run = spawnSync(process.execPath, ['src/main/app/dist.mjs', '--dir'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CUTOVER_ELECTRON_DIST: electron, CUTOVER_SQLITE_BINDING: binding, CUTOVER_DIST_OUTPUT: output },
      timeout: 240_000,
    });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const resources = join(output, 'linux-unpacked', 'resources');
    const asar = require('@electron/asar') as { listPackage: (f: string) => string[]; extractFile: (f: string, p: string) => Buffer };
    const files = asar.listPackage(join(resources, 'app.asar')).map((f) => f.replace(/\\/g, '/'));
    for (const f of ['/out/main.mjs', '/out/worker.mjs', '/out/preload.cjs', '/out/renderer/index.html', '/out/renderer/main.js', '/out/renderer/styles.css', '/node_modules/better-sqlite3/lib/index.js', '/node_modules/imapflow/package.json']) {
      expect(files, f).toContain(f);
    }
    // Not the system-Node build nor the C sources: the app loads only its own Electron build.
    expect(files.filter((f) => /better-sqlite3\/(build|deps|src)\//.test(f))).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as { main: string };
    expect(pkg.main).toBe('out/main.mjs');
    // The path main.ts computes inside the package is the file electron-builder unpacked.
    const loaded = packagedBindingPath(join(resources, 'app.asar', 'out'));
    expect(loaded).toBe(join(resources, 'app.asar.unpacked', 'out', 'native', 'better_sqlite3.node'));
    expect(readFileSync(loaded).equals(readFileSync(binding))).toBe(true);
    expect(existsSync(join(output, 'linux-unpacked', 'cutover'))).toBe(true);
  }, 300_000);
});
