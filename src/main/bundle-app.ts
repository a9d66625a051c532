import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ENGINE_ENV, ENGINE_NODE_FLAGS } from './engine-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The last renderer bundle and the files it was made from (path, size, mtime). */
const RENDERER_CACHE = join(root, 'node_modules', '.cache', 'cutover-renderer');

type Inputs = [path: string, size: number, mtimeMs: number][];

function unchanged(inputs: Inputs): boolean {
  try {
    return inputs.every(([path, size, mtimeMs]) => {
      const st = statSync(join(root, path));
      return st.size === size && st.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

/**
 * Bundles the React renderer into `outDir` (index.html, main.js, styles.css, icon.svg): the window's
 * and the web host's page. Fluent UI makes the bundle take seconds, so the last bundle is reused
 * while none of its input files changed (size and mtime, as make decides); every web host start
 * (each test starts several) would otherwise pay for it again.
 */
export async function buildRenderer(outDir: string): Promise<{ cached: boolean }> {
  mkdirSync(outDir, { recursive: true });
  let cached = false;
  try {
    const inputs = JSON.parse(readFileSync(join(RENDERER_CACHE, 'inputs.json'), 'utf8')) as Inputs;
    if (unchanged(inputs)) {
      copyFileSync(join(RENDERER_CACHE, 'main.js'), join(outDir, 'main.js'));
      cached = true;
    }
  } catch {
    // No usable cache: build.
  }
  if (!cached) {
    const result = await build({
      entryPoints: [join(root, 'src/renderer/main.tsx')],
      outfile: join(outDir, 'main.js'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      jsx: 'automatic',
      // Whitespace and syntax only: names stay, so a stack trace in a bug report still reads.
    minifyWhitespace: true,
    minifySyntax: true,
      metafile: true,
      absWorkingDir: root,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'error',
    });
    const inputs: Inputs = Object.keys(result.metafile.inputs).map((path) => {
      const st = statSync(join(root, path));
      return [path, st.size, st.mtimeMs];
    });
    // Written whole into a new folder and renamed into place, so a concurrent start never reads half a cache.
    mkdirSync(join(RENDERER_CACHE, '..'), { recursive: true });
    const fresh = mkdtempSync(`${RENDERER_CACHE}-`);
    copyFileSync(join(outDir, 'main.js'), join(fresh, 'main.js'));
    writeFileSync(join(fresh, 'inputs.json'), JSON.stringify(inputs));
    rmSync(RENDERER_CACHE, { recursive: true, force: true });
    try {
      renameSync(fresh, RENDERER_CACHE);
    } catch {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  copyFileSync(join(root, 'src/renderer/index.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'src/renderer/styles.css'), join(outDir, 'styles.css'));
  copyFileSync(join(root, 'assets/icon.svg'), join(outDir, 'icon.svg'));
  return { cached };
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

/**
 * npm packages bundled into the `cutover` command instead of loaded from node_modules: the ones
 * every mail command needs. imapflow alone is ~40 modules (pino, libmime, iconv-lite, …); read as
 * one minified file they start in half the time and with less memory (measured: 181 → 86 ms,
 * 75 → 68 MB RSS for imapflow + zod), which is most of a no-op rerun's time. Everything else stays
 * in node_modules: better-sqlite3 (native), and what only some commands load (MSAL, the Graph SDK,
 * the contacts/calendar readers), which the code splitting below loads on demand anyway.
 */
const BUNDLED_PACKAGES = new Set(['imapflow', 'zod', 'p-limit']);

/** ENGINE_ENV as `NAME=value` words for `env -S`. */
function binEnvironment(): string {
  return Object.entries(ENGINE_ENV).map(([name, value]) => `${name}=${value}`).join(' ');
}

/** The package name of a bare import ("imapflow/lib/tools.js" → "imapflow", "@a/b/c" → "@a/b"). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Bundles the `cutover` command into `outDir` (main.js, the package's "bin", plus chunks): plain
 * JavaScript, so the installed command starts without compiling TypeScript. Code splitting keeps
 * each `await import()` of the CLI a separate chunk, loaded only by the commands that need it
 * (`--version` loads the argument parser only).
 *
 * The command runs with the Node flags and environment of engine-process.ts, named in its "bin" line.
 */
export async function buildCli(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'src/main/cli/main.ts')],
    outdir: outDir,
    bundle: true,
    splitting: true,
    // Whitespace and syntax only: names stay, so a stack trace in a bug report still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [
      {
        name: 'bundle-only-some-packages',
        setup(b) {
          // Bare imports from our own code: external unless listed. Imports from inside a bundled
          // package (imapflow's own dependencies) are bundled with it.
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            // Only bare package imports: not the entry point, not an absolute path (C:\… on Windows).
            if (args.kind === 'entry-point' || isAbsolute(args.path) || args.path.startsWith('node:')) return undefined;
            if (/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
            return BUNDLED_PACKAGES.has(packageName(args.path)) ? undefined : { path: args.path, external: true };
          });
        },
      },
    ],
    // Bundled CommonJS packages (pino, iconv-lite, …) call require() for Node's own modules.
    // The "bin" line starts Node as engine-process.ts says. `env -S` splits it: GNU coreutils 8.30+
    // (every Linux that runs Node 20 except Alpine's BusyBox), macOS and the BSDs, and npm's Windows
    // shims read its variables and flags (README, "Command line").
    banner: { js: `#!/usr/bin/env -S ${binEnvironment()} node ${ENGINE_NODE_FLAGS.join(' ')}\nimport { createRequire as __cutoverRequire } from 'node:module';\nconst require = __cutoverRequire(import.meta.url);` },
    define: builtInClientIdDefine(),
    logLevel: 'warning',
  });
  chmodSync(join(outDir, 'main.js'), 0o755);
}
