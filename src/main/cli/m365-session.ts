import { spawn } from 'node:child_process';
import { CutoverError } from '../../shared/errors.js';
import type { M365Auth } from '../engine/auth/m365-auth.js';
import { tokenCacheFile } from '../engine/auth/m365-settings.js';
import { FileSecretStore } from '../engine/auth/secret-store.js';
import type { GraphClient } from '../engine/graph/graph-client.js';
import { openStoredM365 } from '../engine/m365/m365-session.js';

/** The CLI keeps the MSAL token cache in a 0600 file inside the state folder. */
export function cliSecretStore(stateDir: string): FileSecretStore {
  return new FileSecretStore(tokenCacheFile(stateDir));
}

/** The stored sign-in and its Graph client; without one, 'not-signed-in' (the CLI's hint names "cutover login"). */
export function storedM365(stateDir: string, onThrottled?: (seconds: number) => void): { auth: M365Auth; graph: GraphClient } {
  const m365 = openStoredM365(stateDir, cliSecretStore(stateDir), onThrottled);
  if (!m365) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365.', retryable: false });
  return m365;
}

export function storedAuth(stateDir: string): M365Auth {
  return storedM365(stateDir).auth;
}

/**
 * Opens the sign-in page in the user's browser and always prints the address too (a remote shell
 * has no browser). BROWSER=none only prints, as many tools do.
 */
export async function openInBrowser(url: string, stderr: NodeJS.WriteStream): Promise<void> {
  stderr.write(`Sign in to Microsoft 365 in your browser. If no browser window opened, go to:\n  ${url}\n`);
  const browser = process.env.BROWSER;
  if (browser === 'none') return;
  const [cmd, args] =
    browser ? [browser, [url]] : process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The printed address is the fallback.
  }
}
