import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './run-cli.js';

export interface WebHostProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the real `npm run web` entry as its own process and waits for its ready line. */
export async function startWebHostProcess(args: string[], env: Record<string, string> = {}): Promise<WebHostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/web/main.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  return {
    url,
    origin: new URL(url).origin,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
