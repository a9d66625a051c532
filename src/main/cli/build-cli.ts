// `npm run build:cli` (and `prepare`, so `npm ci` and `npm install` build it): the installed
// `cutover` command, bundled into dist/cli/main.js.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../bundle-app.js';

await buildCli(join(fileURLToPath(new URL('../../..', import.meta.url)), 'dist', 'cli'));
