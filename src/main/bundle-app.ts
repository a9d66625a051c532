import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles the React renderer into `outDir` (index.html, main.js, styles.css, icon.svg): the window's and the web host's page. */
export async function buildRenderer(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'src/renderer/main.tsx')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  copyFileSync(join(root, 'src/renderer/index.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'src/renderer/styles.css'), join(outDir, 'styles.css'));
  copyFileSync(join(root, 'assets/icon.svg'), join(outDir, 'icon.svg'));
}

/**
 * The app registration built into the desktop app: `CUTOVER_CLIENT_ID` at bundle time (a GUID), used
 * when the person enters none and none was used before (src/main/engine/auth/built-in-client-id.ts).
 */
export function builtInClientIdDefine(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const id = env.CUTOVER_CLIENT_ID?.trim() ?? '';
  if (id && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new Error(`CUTOVER_CLIENT_ID "${id}" is not a client ID (a GUID such as 11111111-2222-3333-4444-555555555555).`);
  }
  return { __CUTOVER_BUILT_IN_CLIENT_ID__: JSON.stringify(id.toLowerCase()) };
}

/** Bundles the Electron parts (main, engine worker, sandboxed preload, renderer) into `out` for `npm start` and `npm run dist`. */
export async function buildElectronApp(out: string): Promise<void> {
  const node = { bundle: true, platform: 'node', packages: 'external', logLevel: 'warning', define: builtInClientIdDefine() } as const;
  await build({ ...node, entryPoints: [join(root, 'src/main/app/main.ts')], outfile: join(out, 'main.mjs'), format: 'esm' });
  await build({ ...node, entryPoints: [join(root, 'src/main/app/worker.ts')], outfile: join(out, 'worker.mjs'), format: 'esm' });
  // A sandboxed preload must be one CommonJS file with nothing but electron outside it.
  await build({ entryPoints: [join(root, 'src/main/app/preload.ts')], outfile: join(out, 'preload.cjs'), bundle: true, platform: 'node', format: 'cjs', external: ['electron'], logLevel: 'warning' });
  await buildRenderer(join(out, 'renderer'));
}
