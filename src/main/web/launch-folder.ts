import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'cutover-web-';

/**
 * The web host's one temporary folder per launch (the renderer bundle and the uploaded files),
 * named after the host's process id so that a later launch can remove what a killed one left
 * behind. Removed at exit: on SIGTERM/SIGINT/SIGHUP through the host's stop, and on any other
 * exit through the synchronous 'exit' hook.
 */
export function createLaunchFolder(): { dir: string; remove: () => void } {
  removeOrphans();
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  return { dir, remove };
}

/** Folders of launches whose process is gone (killed with SIGKILL, or a power cut). */
function removeOrphans(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^cutover-web-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
