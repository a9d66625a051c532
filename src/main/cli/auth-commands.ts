import { CutoverError } from '../../shared/errors.js';
import { loadSettings, saveSettings, validateClientId, validateTenant } from '../engine/auth/m365-settings.js';
import type { LoginArgs } from './cli-args.js';
import type { CliIo } from './main.js';
import { cliAuth, openInBrowser, storedAuth } from './m365-session.js';

export async function login(args: LoginArgs, stateDir: string, io: CliIo, signal: AbortSignal): Promise<number> {
  const previous = loadSettings(stateDir);
  const clientIdText = args.clientId ?? process.env.CUTOVER_CLIENT_ID ?? previous?.clientId;
  if (!clientIdText) {
    throw new CutoverError({
      code: 'usage',
      message: 'No app registration to sign in with: pass --client-id (and usually --tenant) from your organisation\'s Cutover app registration; the README section "Microsoft 365 app registration" shows your admin how to create one.',
      retryable: false,
    });
  }
  const settings = { clientId: validateClientId(clientIdText), tenant: validateTenant(args.tenant ?? previous?.tenant ?? 'organizations') };
  const auth = cliAuth(stateDir, settings);
  const account = args.deviceCode
    ? await auth.signInWithDeviceCode((prompt) => io.stderr.write(`${prompt.message}\n`), signal)
    : await auth.signInInteractive((url) => openInBrowser(url, io.stderr), { signal });
  // Checked now rather than mid-sync: the IMAP permission must have been granted too.
  await auth.imapCredentials();
  saveSettings(stateDir, settings);
  io.stdout.write(args.json ? `${JSON.stringify({ signedIn: true, ...account })}\n` : `Signed in to Microsoft 365 as ${account.username}.\n`);
  return 0;
}

export async function whoami(stateDir: string, json: boolean, io: CliIo): Promise<number> {
  const settings = loadSettings(stateDir);
  const account = settings ? await storedAuth(stateDir).signedIn() : null;
  if (!account) {
    io.stdout.write(json ? `${JSON.stringify({ signedIn: false })}\n` : 'Not signed in to Microsoft 365 (run "cutover login").\n');
    return 1;
  }
  io.stdout.write(json ? `${JSON.stringify({ signedIn: true, ...account })}\n` : `Signed in to Microsoft 365 as ${account.username}${account.name ? ` (${account.name})` : ''}.\n`);
  return 0;
}

export async function logout(stateDir: string, json: boolean, io: CliIo): Promise<number> {
  const settings = loadSettings(stateDir);
  if (settings) await storedAuth(stateDir).signOut();
  io.stdout.write(json ? `${JSON.stringify({ signedIn: false })}\n` : 'Signed out; the stored Microsoft 365 tokens are deleted.\n');
  return 0;
}
