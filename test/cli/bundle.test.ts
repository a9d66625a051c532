import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../src/main/bundle-app.js';
import { REPO_ROOT } from '../harness/run-cli.js';

const run = promisify(execFile);
/** Packages too heavy (or too native) for a command that only parses its arguments. */
const HEAVY = ['@azure/msal-node', '@microsoft/microsoft-graph-client', 'react', 'react-dom', 'imapflow', 'better-sqlite3', 'tsdav', 'pst-extractor', 'tsx'];

let out: string;
let bin: string;

beforeAll(async () => {
  // Inside the repository, so the bundle finds node_modules as the installed one does.
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'cutover-cli-'));
  out = join(dir, 'cli');
  await buildCli(out);
  // As npm installs a "bin": a symlink to the bundle.
  bin = join(dir, 'cutover');
  symlinkSync(join(out, 'main.js'), bin);
}, 120_000);
afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }));

/** The files and packages a module loads before any `await import()`, following the bundle's chunks. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(out, file), 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|^import\s+"([^"]+)"/gms)) {
    const spec = (m[1] ?? m[2])!;
    if (spec.startsWith('./')) staticGraph(spec.slice(2), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('the installed cutover command', () => {
  it('is the bundle built by prepare (npm ci, npm install), not TypeScript through tsx', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.bin.cutover).toBe('dist/cli/main.js');
    expect(pkg.scripts.prepare).toBe('npm run build:cli');
    expect(pkg.scripts['build:cli']).toMatch(/src\/main\/cli\/build-cli\.ts$/);
  });

  it('answers --version and --help through its symlink, loading only the argument parser', async () => {
    expect((await run(bin, ['--version'])).stdout).toBe('cutover 0.1.0\n');
    expect((await run(bin, ['--help'])).stdout).toMatch(/^Usage:\n {2}cutover sync/);
    const loaded = [...staticGraph('main.js')].filter((s) => !s.endsWith('.js') && !s.startsWith('node:'));
    for (const heavy of HEAVY) expect(loaded, heavy).not.toContain(heavy);
  });

  it('loads a command’s engine parts and npm packages when the command runs', async () => {
    const stateDir = mkdtempSync(join(out, '..', 'state-'));
    const whoami = await run(bin, ['whoami', '--json', '--state-dir', stateDir]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ signedIn: false });
    const usage = await run(bin, ['sync', '--bogus']).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2 });
    // One pointer to the usage, not two.
    expect((usage as { stderr: string }).stderr.match(/cutover --help/g)).toHaveLength(1);
  });
});
