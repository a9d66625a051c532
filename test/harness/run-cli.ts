import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_PASSWORD } from './dovecot.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The default state folder ($XDG_STATE_HOME/cutover) of every CLI this test file starts without
 * --state-dir: its own, never the machine's ~/.local/state/cutover, which other checkouts (maybe of
 * a newer schema) use too. Shared by the runs of one test file, as a user's runs share theirs.
 */
const STATE_HOME = mkdtempSync(join(tmpdir(), 'cutover-state-home-'));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
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
    env: { ...base, XDG_STATE_HOME: STATE_HOME, CUTOVER_SOURCE_PASSWORD: TEST_PASSWORD, CUTOVER_TARGET_PASSWORD: TEST_PASSWORD, ...env },
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
