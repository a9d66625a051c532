import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isCutoverError } from '../../shared/errors.js';
import { CutoverService } from '../engine/service/cutover-service.js';
import { checkCaFile, fileSecretStore } from '../engine/service/for-hosts.js';
import { dnsFromEnvironment, m365FromEnvironment } from '../host-environment.js';
import { defaultStateDir } from '../state-dir.js';
import { buildRenderer } from '../bundle-app.js';
import { createLaunchFolder } from './launch-folder.js';
import { UploadStore } from './upload-store.js';
import { startWebHost } from './web-host.js';

const USAGE = 'usage: npm run web -- [--port N] [--state-dir DIR] [--ca FILE] [--public-origin URL]';

/**
 * `npm run web -- [--port N] [--state-dir DIR] [--ca FILE] [--public-origin URL]`: the whole app in
 * a browser, served on loopback only (reach it from elsewhere through an SSH tunnel; see the
 * README). Prints one line with the address and its secret once it accepts connections;
 * SIGTERM, SIGINT or SIGHUP stops it cleanly and removes its temporary folder.
 */
async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), strict: true, options: { port: { type: 'string' }, 'state-dir': { type: 'string' }, ca: { type: 'string' }, 'public-origin': { type: 'string' } } }));
  } catch (err) {
    return usage((err as Error).message);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) return usage(`--port must be a number from 0 to 65535, got "${values.port}".`);
  const publicOrigin = values['public-origin'];
  if (publicOrigin !== undefined && !isHttpOrigin(publicOrigin)) return usage(`--public-origin must be an address like http://localhost:8080, got "${publicOrigin}".`);
  if (values.ca) {
    try {
      checkCaFile(values.ca);
    } catch (err) {
      return usage(isCutoverError(err) ? err.message : String(err));
    }
  }
  // Read once and checked up front: a malformed CUTOVER_DNS_* or CUTOVER_M365_IMAP is a usage error, not a crash later.
  let environment;
  try {
    environment = { dns: dnsFromEnvironment(), m365: m365FromEnvironment() };
  } catch (err) {
    return usage(isCutoverError(err) ? err.message : String(err));
  }
  const stateDir = values['state-dir'] ?? defaultStateDir();
  const launch = createLaunchFolder();
  const assetsDir = join(launch.dir, 'renderer');
  await buildRenderer(assetsDir);
  const uploads = new UploadStore(join(launch.dir, 'uploads'));
  const api = new CutoverService({ stateDir, host: 'web', secretStore: fileSecretStore(stateDir), ...environment, fileRefs: uploads, ...(values.ca ? { caFile: values.ca } : {}) });
  const host = await startWebHost({ port, assetsDir, api, uploads, ...(publicOrigin ? { publicOrigin } : {}) });
  // Handlers first, then the ready line: a SIGTERM sent the moment the line is read must still be clean.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void host.close().finally(() => {
      // The state database is closed by its one owner (every write is committed already).
      api.close();
      launch.remove();
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', stop);
  // One write, so a reader of the first line has the second one too.
  process.stdout.write(`Cutover is ready at ${host.url}\n${host.publicUrl ? `Through the tunnel: ${host.publicUrl}\n` : ''}`);
}

function usage(message: string): void {
  process.stderr.write(`cutover web: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** `http://HOST[:PORT]` with nothing after it: what a browser reports as a page's Origin. */
function isHttpOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text.replace(/\/$/, '').toLowerCase() && !url.username;
  } catch {
    return false;
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`cutover web: ${isCutoverError(err) ? err.message : (err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
