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

describe('the client ID built into the desktop app', () => {
  it('comes from CUTOVER_CLIENT_ID at bundle time and is used when nothing else names one', async () => {
    const { builtInClientIdDefine } = await import('../../src/main/bundle-app.js');
    expect(() => builtInClientIdDefine({ CUTOVER_CLIENT_ID: 'made-up' })).toThrow(/not a client ID/);
    const id = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const { build } = await import('esbuild');
    const { REPO_ROOT } = await import('../harness/run-cli.js');
    const { spawnSync } = await import('node:child_process');
    const { rmSync } = await import('node:fs');
    // Bundled like the app's worker (packages stay external), inside node_modules so they resolve.
    const dir = mkdtempSync(join(REPO_ROOT, 'node_modules', '.cutover-test-'));
    const file = join(dir, 'probe.mjs');
    await build({
      // As a host does: the environment read by the host, passed to the engine.
      stdin: {
        contents: `import { knownClientId } from './src/main/engine/m365/m365-session.ts'; import { m365FromEnvironment } from './src/main/host-environment.ts'; console.log(JSON.stringify(knownClientId(process.argv[2], m365FromEnvironment())));`,
        resolveDir: REPO_ROOT,
        loader: 'ts',
      },
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      define: builtInClientIdDefine({ CUTOVER_CLIENT_ID: id.toUpperCase() }),
      logLevel: 'error',
    });
    const env = { ...process.env, CUTOVER_CLIENT_ID: '' };
    const probe = (stateDir: string, extra: Record<string, string> = {}): unknown => JSON.parse(spawnSync(process.execPath, [file, stateDir], { encoding: 'utf8', env: { ...env, ...extra } }).stdout);
    const empty = mkdtempSync(join(tmpdir(), 'cutover-state-'));
    expect(probe(empty)).toBe(id);
    // The environment (and an earlier sign-in's settings) still come first.
    expect(probe(empty, { CUTOVER_CLIENT_ID: '11111111-2222-3333-4444-555555555555' })).toBe('11111111-2222-3333-4444-555555555555');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('the renderer bundle', () => {
  it('is reused while none of its inputs changed, and made again when one did', async () => {
    const { buildRenderer } = await import('../../src/main/bundle-app.js');
    const { REPO_ROOT } = await import('../harness/run-cli.js');
    const { statSync, utimesSync } = await import('node:fs');
    const out = (): string => mkdtempSync(join(tmpdir(), 'cutover-renderer-'));
    await buildRenderer(out());
    const second = out();
    expect(await buildRenderer(second)).toEqual({ cached: true });
    expect(readFileSync(join(second, 'main.js'), 'utf8')).toContain('Skip to the current step');
    const input = join(REPO_ROOT, 'src', 'renderer', 'words', 'numbers.ts');
    const { atime, mtime } = statSync(input);
    utimesSync(input, atime, new Date(mtime.getTime() + 1000));
    try {
      expect(await buildRenderer(out())).toEqual({ cached: false });
    } finally {
      utimesSync(input, atime, mtime);
    }
  }, 120_000);
});
