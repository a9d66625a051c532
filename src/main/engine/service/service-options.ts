import type { SecretStore } from '../auth/secret-store.js';
import type { DnsOverrides } from '../cutover/dns-server-address.js';
import type { M365Endpoints } from '../m365/m365-endpoints.js';
import type { CrashHook } from '../sync/crash-points.js';
import type { FileRefs } from './file-refs.js';

/** What a host gives its engine service: everything the engine would otherwise have to find out for itself. */
export interface ServiceOptions {
  stateDir: string;
  host: 'electron' | 'web' | 'cli';
  /** Trust this CA in addition to the system's (private mail servers, and the tests). */
  caFile?: string;
  /** Where the Microsoft 365 token cache lives (safeStorage in the app, a 0600 file for the CLI and the web host). */
  secretStore: SecretStore;
  /** Microsoft 365's endpoints and default app registration as this host was configured (never read from the environment by the engine). */
  m365?: M365Endpoints;
  /** DNS servers the cutover day's check asks instead of this computer's (never read from the environment by the engine). */
  dns?: DnsOverrides;
  /** Opens the sign-in page in the system browser (the app, the CLI); the web host's page shows the link instead. */
  openBrowser?: (url: string) => Promise<void>;
  /** Opens a folder in the file manager (the app only). */
  openPath?: (path: string) => Promise<unknown>;
  /** Resolves the refs of chosen export files to local paths (the host made the refs). */
  fileRefs?: FileRefs;
  /** How a permission missing after sign-in is asked for until a sign-in in this process says otherwise (the CLI: --device-code). */
  consentWith?: 'browser' | 'device-code';
  /** Test-only: the SMTP check may send its OAuth token to a server on 127.0.0.1. No shipped host sets it. */
  smtpOAuthToLoopbackForTests?: boolean;
  /** Named crash points of the copy (tests only: the CLI installs it under NODE_ENV=test). */
  crash?: CrashHook;
}

/** For a host calling the service in its own process (the CLI): cancel a long call with Ctrl-C. Never crosses IPC. */
export interface CallOptions {
  signal?: AbortSignal;
}
