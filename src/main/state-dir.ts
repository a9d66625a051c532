import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where state lives unless the user says otherwise: $XDG_STATE_HOME/cutover or ~/.local/state/cutover. */
export function defaultStateDir(): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'cutover');
}
