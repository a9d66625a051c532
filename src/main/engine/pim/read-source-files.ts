import { readFileSync } from 'node:fs';
import type { SkippedItem } from '../../../shared/pim-types.js';

/** Reads export files as text; one that cannot be read is reported by name, the others go on. */
export function readSourceFiles(paths: string[]): { sources: { origin: string; content: string }[]; skipped: SkippedItem[] } {
  const sources: { origin: string; content: string }[] = [];
  const skipped: SkippedItem[] = [];
  for (const path of paths) {
    try {
      sources.push({ origin: path, content: readFileSync(path, 'utf8') });
    } catch (err) {
      skipped.push({ source: { file: path, uid: '' }, reason: `cannot read the file: ${(err as Error).message}` });
    }
  }
  return { sources, skipped };
}
