import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-cli.js';

describe('the Electron bundles', () => {
  it('build for main, engine worker, sandboxed preload and renderer (Electron itself cannot run here)', async () => {
    const { buildApp } = (await import(join(REPO_ROOT, 'src/main/app/build-app.mjs'))) as { buildApp: (root: string, out: string) => Promise<void> };
    const out = mkdtempSync(join(tmpdir(), 'cutover-app-'));
    await buildApp(REPO_ROOT, out);
    for (const f of ['main.mjs', 'worker.mjs', 'preload.cjs', 'renderer/main.js', 'renderer/index.html', 'renderer/styles.css']) expect(existsSync(join(out, f)), f).toBe(true);
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).not.toMatch(/require\("(?!electron")[^"]+"\)/);
  }, 60_000);
});
