import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_PASSWORD } from './dovecot.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Where a CLI run without --state-dir keeps its state: a folder of this test process, never the
 * machine's real ~/.local/state/cutover (which another Cutover, e.g. a newer schema, may own).
 */
let stateHome: string | null = null;
function testStateHome(): string {
  return (stateHome ??= mkdtempSync(join(tmpdir(), 'cutover-xdg-state-')));
}

/**
 * Starts the real CLI as its own process (one node process, no npm/tsx wrapper in between, so a
 * kill -9 hits the process doing the work).
 */
export function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult>; output: () => { stdout: string; stderr: string } } {
  // The test CA is trusted process-wide in test workers (NODE_EXTRA_CA_CERTS); the CLI must earn
  // that trust through --ca, so it does not inherit it unless a test passes it on purpose.
  const { NODE_EXTRA_CA_CERTS: _inherited, ...base } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...base, XDG_STATE_HOME: testStateHome(), CUTOVER_SOURCE_PASSWORD: TEST_PASSWORD, CUTOVER_TARGET_PASSWORD: TEST_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

export function imapsUrl(user: string, port: number): string {
  return `imaps://${encodeURIComponent(user)}@127.0.0.1:${port}`;
}
