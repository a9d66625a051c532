import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Bundles the React renderer into `outDir` (index.html + main.js), as the Electron start does. */
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
    sourcemap: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  copyFileSync(join(root, 'src/renderer/index.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'src/renderer/styles.css'), join(outDir, 'styles.css'));
}
