import { spawn } from 'node:child_process';
import { CutoverError } from '../../shared/errors.js';
import { M365Auth } from '../engine/auth/m365-auth.js';
import { loadSettings, tokenCacheFile, type M365Settings } from '../engine/auth/m365-settings.js';
import { FileSecretStore } from '../engine/auth/secret-store.js';
import { GraphClient } from '../engine/graph/graph-client.js';

/** The CLI keeps the MSAL token cache in a 0600 file inside the state folder. */
export function cliAuth(stateDir: string, settings: M365Settings): M365Auth {
  return new M365Auth(settings, new FileSecretStore(tokenCacheFile(stateDir)));
}

export function storedAuth(stateDir: string): M365Auth {
  const settings = loadSettings(stateDir);
  if (!settings) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365: run "cutover login" first.', retryable: false });
  return cliAuth(stateDir, settings);
}

export function graphFor(auth: M365Auth, onThrottled?: (seconds: number) => void): GraphClient {
  return new GraphClient({ getToken: (force) => auth.graphToken(force), ...(onThrottled ? { onThrottled } : {}) });
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
