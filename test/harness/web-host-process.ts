import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './run-cli.js';

export interface WebHostProcess {
  url: string;
  origin: string;
  port: number;
  token: string;
  child: ChildProcess;
  /** Everything the host printed so far. */
  stdout(): string;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function spawnHost(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main/web/main.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts the real `npm run web` entry as its own process and waits for its ready line. */
export async function startWebHostProcess(args: string[], env: Record<string, string> = {}): Promise<WebHostProcess> {
  const child = spawnHost(args, env);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${err}`)), 90_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Cutover is ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`web host exited (${code}): ${err}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    child,
    stdout: () => out,
    stderr: () => err,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}

/** Runs the web host with arguments it must refuse; resolves its exit code and error output. */
export async function webHostRefusal(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawnHost(args, {});
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr: err };
}
