import { loadSettings } from '../engine/auth/m365-settings.js';
import { signInAndRemember, signInSettings } from '../engine/m365/m365-session.js';
import type { LoginArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { cliSecretStore, openInBrowser, storedAuth } from './m365-session.js';

export async function login(args: LoginArgs, stateDir: string, io: CliIo, signal: AbortSignal): Promise<number> {
  const settings = signInSettings(
    stateDir,
    { clientId: args.clientId, tenant: args.tenant },
    'No app registration to sign in with: pass --client-id (and usually --tenant) from your organisation\'s Cutover app registration; the README section "Microsoft 365 app registration" shows your admin how to create one.',
  );
  const account = await signInAndRemember(
    stateDir,
    cliSecretStore(stateDir),
    settings,
    args.deviceCode ? { deviceCode: true, show: (prompt) => io.stderr.write(`${prompt.reason ? `${prompt.reason}\n` : ''}${prompt.message}\n`), signal } : { deviceCode: false, openBrowser: (url) => openInBrowser(url, io.stderr), signal },
  );
  const shown = { username: account.username, name: account.name, tenantId: account.tenantId };
  io.stdout.write(args.json ? `${JSON.stringify({ signedIn: true, ...shown })}\n` : `Signed in to Microsoft 365 as ${account.username}.\n`);
  return 0;
}

export async function whoami(stateDir: string, json: boolean, io: CliIo): Promise<number> {
  const settings = loadSettings(stateDir);
  const account = settings ? await storedAuth(stateDir).signedIn() : null;
  if (!account) {
    io.stdout.write(json ? `${JSON.stringify({ signedIn: false })}\n` : 'Not signed in to Microsoft 365 (run "cutover login").\n');
    return 1;
  }
  const shown = { username: account.username, name: account.name, tenantId: account.tenantId };
  io.stdout.write(json ? `${JSON.stringify({ signedIn: true, ...shown })}\n` : `Signed in to Microsoft 365 as ${account.username}${account.name ? ` (${account.name})` : ''}.\n`);
  return 0;
}

export async function logout(stateDir: string, json: boolean, io: CliIo): Promise<number> {
  const settings = loadSettings(stateDir);
  if (settings) await storedAuth(stateDir).signOut();
  io.stdout.write(json ? `${JSON.stringify({ signedIn: false })}\n` : 'Signed out; the stored Microsoft 365 tokens are deleted.\n');
  return 0;
}
