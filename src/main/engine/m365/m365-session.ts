import { CutoverError } from '../../../shared/errors.js';
import { M365Auth, type DeviceCodePrompt, type SignedInAccount } from '../auth/m365-auth.js';
import { builtInClientId } from '../auth/built-in-client-id.js';
import { loadSettings, saveSettings, validateClientId, validateTenant, type M365Settings } from '../auth/m365-settings.js';
import type { SecretStore } from '../auth/secret-store.js';
import { GraphClient } from '../graph/graph-client.js';
import type { M365Endpoints } from './m365-endpoints.js';

/** The Microsoft 365 sign-in stored in a state folder, with its Graph client; null when there is none. */
export function openStoredM365(stateDir: string, store: SecretStore, endpoints: M365Endpoints = {}, onThrottled?: (seconds: number) => void): { auth: M365Auth; graph: GraphClient } | null {
  const settings = loadSettings(stateDir);
  if (!settings) return null;
  const auth = new M365Auth(settings, store, authOptions(endpoints));
  return { auth, graph: new GraphClient({ getToken: (force) => auth.graphToken(force), ...(endpoints.graphUrl ? { baseUrl: endpoints.graphUrl } : {}), ...(onThrottled ? { onThrottled } : {}) }) };
}

/**
 * The app registration to sign in with: what the caller gives, else the host's configured one,
 * else the last one used in this state folder, else the one built into the desktop app; none at
 * all is `no-app-registration`.
 */
export function signInSettings(stateDir: string, given: { clientId: string | null; tenant: string | null }, endpoints: M365Endpoints = {}): M365Settings {
  const previous = loadSettings(stateDir);
  const clientId = given.clientId ?? knownClientId(stateDir, endpoints);
  if (!clientId) throw new CutoverError({ code: 'no-app-registration', message: 'No app registration (client ID) is known for the Microsoft 365 sign-in.', retryable: false });
  return { clientId: validateClientId(clientId), tenant: validateTenant(given.tenant ?? previous?.tenant ?? 'organizations') };
}

/** The client ID a sign-in without one would use, or null: then the person must ask their admin. */
export function knownClientId(stateDir: string, endpoints: M365Endpoints = {}): string | null {
  let previous: string | null = null;
  try {
    previous = loadSettings(stateDir)?.clientId ?? null;
  } catch {
    // A damaged settings file counts as none here; signing in reports it.
  }
  return endpoints.clientId || previous || builtInClientId();
}

export type SignInMethod =
  | { deviceCode: true; show: (prompt: DeviceCodePrompt) => void; signal?: AbortSignal }
  | { deviceCode: false; openBrowser: (url: string) => Promise<void>; signal?: AbortSignal };

/** Signs in, checks that the IMAP permission came with it, and only then remembers the settings. */
export async function signInAndRemember(stateDir: string, store: SecretStore, settings: M365Settings, method: SignInMethod, endpoints: M365Endpoints = {}): Promise<SignedInAccount> {
  const auth = new M365Auth(settings, store, authOptions(endpoints));
  const account = method.deviceCode
    ? await auth.signInWithDeviceCode(method.show, method.signal)
    : await auth.signInInteractive(method.openBrowser, method.signal ? { signal: method.signal } : {});
  // Checked now rather than mid-copy: the IMAP permission must have been granted too.
  await auth.imapCredentials();
  // Remembered with the settings so every later token is for exactly this account.
  saveSettings(stateDir, { clientId: settings.clientId, tenant: settings.tenant, homeAccountId: account.homeAccountId });
  return account;
}

function authOptions(endpoints: M365Endpoints): { authority?: string } {
  return endpoints.authority ? { authority: endpoints.authority } : {};
}
