/**
 * The engine as its hosts (the CLI, the web host, the Electron worker) may use it besides the
 * service itself: lint lets them import engine/service only, so what they need before a service
 * exists (checking a --ca file, choosing the database build, a token cache file) is handed out here.
 */
import { tokenCacheFile } from '../auth/m365-settings.js';
import { FileSecretStore } from '../auth/secret-store.js';
import { loadCaFile } from '../net/ca-file.js';

export type { SecretStore } from '../auth/secret-store.js';
export type { DnsOverrides } from '../cutover/dns-server-address.js';
export type { M365Endpoints } from '../m365/m365-endpoints.js';
export { CRASH_POINTS, isCrashPoint, type CrashHook } from '../sync/crash-points.js';
export { useNativeBinding } from '../state/open-database.js';
export { FileRegistry, type FileRefs, type RegisteredFile } from './file-refs.js';
export type { CallOptions, ServiceOptions } from './service-options.js';

/** The Microsoft 365 token cache as the CLI and the web host keep it: a 0600 file in the state folder. */
export function fileSecretStore(stateDir: string): FileSecretStore {
  return new FileSecretStore(tokenCacheFile(stateDir));
}

/** Checks that a CA file holds at least one certificate (a `usage` error naming the file otherwise). */
export function checkCaFile(file: string): void {
  loadCaFile(file);
}
