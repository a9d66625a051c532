import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-cli.js';

/** The pid of a process that has exited (so no launch with it is running). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe("the web host's temporary folder in a shared /tmp", () => {
  // Needs a second user: the test runs the host's folder code as "nobody" next to root's leftover.
  it.skipIf(process.getuid?.() !== 0)("starts although another user's leftover folder cannot be removed, and leaves it", async () => {
    const leftover = join(tmpdir(), `cutover-web-${await deadPid()}-other-user`);
    mkdirSync(join(leftover, 'renderer'), { recursive: true });
    try {
      const script = "import('./src/main/web/launch-folder.ts').then((m) => { const f = m.createLaunchFolder(); process.stdout.write(f.dir); f.remove(); })";
      const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, HOME: tmpdir() }, timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/cutover-web-\d+-/);
      expect(existsSync(run.stdout)).toBe(false);
      expect(existsSync(leftover)).toBe(true);
    } finally {
      rmSync(leftover, { recursive: true, force: true });
    }
  }, 90_000);
});
