// Bundles the Electron parts (main, engine worker, preload, renderer) into `out`; used by
// `npm start` and by a test that keeps these bundles buildable on machines without Electron.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

export async function buildApp(root, out) {
  mkdirSync(`${out}/renderer`, { recursive: true });
  const node = { bundle: true, platform: 'node', packages: 'external', logLevel: 'warning' };
  await build({ ...node, entryPoints: [`${root}/src/main/app/main.ts`], outfile: `${out}/main.mjs`, format: 'esm' });
  await build({ ...node, entryPoints: [`${root}/src/main/app/worker.ts`], outfile: `${out}/worker.mjs`, format: 'esm' });
  // A sandboxed preload must be one CommonJS file with nothing but electron outside it.
  await build({ entryPoints: [`${root}/src/main/app/preload.ts`], outfile: `${out}/preload.cjs`, bundle: true, platform: 'node', format: 'cjs', external: ['electron'], logLevel: 'warning' });
  await build({ entryPoints: [`${root}/src/renderer/main.tsx`], outfile: `${out}/renderer/main.js`, bundle: true, platform: 'browser', format: 'esm', jsx: 'automatic', minify: true, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning' });
  copyFileSync(`${root}/src/renderer/index.html`, `${out}/renderer/index.html`);
  copyFileSync(`${root}/src/renderer/styles.css`, `${out}/renderer/styles.css`);
}
