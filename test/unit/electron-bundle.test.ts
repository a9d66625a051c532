import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildElectronApp } from '../../src/main/bundle-app.js';

describe('the Electron bundles', () => {
  it('build for main, engine worker, sandboxed preload and renderer (Electron itself cannot run here)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cutover-app-'));
    await buildElectronApp(out);
    for (const f of ['main.mjs', 'worker.mjs', 'preload.cjs', 'renderer/main.js', 'renderer/index.html', 'renderer/styles.css']) expect(existsSync(join(out, f)), f).toBe(true);
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).not.toMatch(/require\("(?!electron")[^"]+"\)/);
  }, 60_000);
});
