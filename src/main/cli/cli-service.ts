import { spawn } from 'node:child_process';
import { CutoverService } from '../engine/service/cutover-service.js';
import { checkCaFile, fileSecretStore, FileRegistry } from '../engine/service/for-hosts.js';
import { dnsFromEnvironment, m365FromEnvironment } from '../host-environment.js';
import type { CliIo } from './cli-io.js';
import { testCrashHook } from './test-crash-hook.js';

/** Test-only, read by this host and never by the engine (see ServiceOptions.smtpOAuthToLoopbackForTests). */
const OAUTH_TO_LOOPBACK_FOR_TESTS = 'CUTOVER_TEST_SMTP_OAUTH_TO_LOOPBACK';

/** The engine service as the command line runs it, and the files named on the command line. */
export interface CliEngine {
  service: CutoverService;
  /** Files named on the command line are registered here and reach the service by ref, like the app's. */
  files: FileRegistry;
}

/**
 * The CLI's own service: its state folder, --ca, a 0600 token cache file, Microsoft 365's
 * endpoints from the environment, the system browser for the sign-in, and files read where they
 * are (no upload limits: they were named on this computer's command line).
 */
export function cliEngine(stateDir: string, caFile: string | null, io: CliIo, consentWith: 'browser' | 'device-code' = 'browser'): CliEngine {
  // Checked before any password prompt or connection: a --ca without a certificate is a usage error.
  if (caFile) checkCaFile(caFile);
  const files = new FileRegistry(null);
  const crash = testCrashHook();
  const service = new CutoverService({
    stateDir,
    host: 'cli',
    ...(caFile ? { caFile } : {}),
    secretStore: fileSecretStore(stateDir),
    m365: m365FromEnvironment(),
    dns: dnsFromEnvironment(),
    openBrowser: async (url) => openInBrowser(url, io.stderr),
    fileRefs: files,
    consentWith,
    ...(crash ? { crash } : {}),
    // Test-only: lets smtp-check send its OAuth token to a test server on 127.0.0.1 (never set by users).
    ...(process.env[OAUTH_TO_LOOPBACK_FOR_TESTS] === '1' ? { smtpOAuthToLoopbackForTests: true } : {}),
  });
  return { service, files };
}

/**
 * Opens the sign-in page in the user's browser and always prints the address too (a remote shell
 * has no browser). BROWSER=none only prints, as many tools do.
 */
export function openInBrowser(url: string, stderr: NodeJS.WriteStream): void {
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
