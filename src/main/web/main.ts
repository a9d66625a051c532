import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tokenCacheFile } from '../engine/auth/m365-settings.js';
import { FileSecretStore } from '../engine/auth/secret-store.js';
import { CutoverService } from '../engine/service/cutover-service.js';
import { defaultStateDir } from '../state-dir.js';
import { buildRenderer } from '../bundle-app.js';
import { startWebHost } from './web-host.js';

/**
 * `npm run web -- [--port N] [--state-dir DIR] [--ca FILE]`: the whole app in a browser, served on
 * 127.0.0.1 only (reach it from elsewhere through an SSH tunnel). Prints one line with the address
 * and its secret once it accepts connections; SIGTERM or Ctrl-C stops it cleanly.
 */
async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), strict: true, options: { port: { type: 'string' }, 'state-dir': { type: 'string' }, ca: { type: 'string' } } }));
  } catch (err) {
    process.stderr.write(`cutover web: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`cutover web: --port must be a number from 0 to 65535, got "${values.port}".\n`);
    process.exit(2);
  }
  if (values.ca && !existsSync(values.ca)) {
    process.stderr.write(`cutover web: the CA file "${values.ca}" does not exist.\n`);
    process.exit(2);
  }
  const stateDir = values['state-dir'] ?? defaultStateDir();
  const assetsDir = mkdtempSync(join(tmpdir(), 'cutover-web-'));
  await buildRenderer(assetsDir);
  const api = new CutoverService({ stateDir, host: 'web', secretStore: new FileSecretStore(tokenCacheFile(stateDir)), ...(values.ca ? { caFile: values.ca } : {}) });
  const host = await startWebHost({ port, assetsDir, api });
  // Handlers first, then the ready line: a SIGTERM sent the moment the line is read must still be clean.
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`Cutover is ready at ${host.url}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`cutover web: ${(err as Error).message}\n`);
  process.exit(1);
});
