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

/** Folders of launches whose process is gone (killed with SIGKILL, or a power cut), where this user may remove them. */
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
    try {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    } catch {
      // Another user's launch in a shared /tmp (EACCES/EPERM), or one being removed right now:
      // not ours to remove, and never a reason not to start.
    }
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
