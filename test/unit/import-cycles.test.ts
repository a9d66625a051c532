import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-cli.js';

/** Every program Cutover has: the CLI, the web host, the Electron main process, its engine worker and preload, the wizard. */
const ENTRIES = ['src/main/cli/main.ts', 'src/main/web/main.ts', 'src/main/app/main.ts', 'src/main/app/worker.ts', 'src/main/app/preload.ts', 'src/renderer/main.tsx'];

/** Our own modules and what each imports (static and `await import()`), as esbuild resolves them. */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const entry of ENTRIES) {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      write: false,
      metafile: true,
      outdir: 'unused',
      platform: entry.startsWith('src/renderer') ? 'browser' : 'node',
      format: 'esm',
      jsx: 'automatic',
      packages: 'external',
      logLevel: 'silent',
    });
    for (const [file, input] of Object.entries(result.metafile.inputs)) graph.set(file, input.imports.filter((i) => !i.external).map((i) => i.path));
  }
  return graph;
}

/** The groups of modules that import each other in a circle (Tarjan's strongly connected components of more than one module, or one importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports', () => {
  it('finds a circle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  });

  it('go in no circle anywhere in Cutover’s programs', async () => {
    const graph = await importGraph();
    expect(graph.size).toBeGreaterThan(150);
    expect(circles(graph)).toEqual([]);
  }, 60_000);
});
