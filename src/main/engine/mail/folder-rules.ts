import { CutoverError } from '../../../shared/errors.js';
import { NO_RULES, type MappingRules } from '../../../shared/folder-mapping.js';
import type { PairState } from '../state/pair-state.js';

/** What the rules need to know of the source's folders. */
export interface SourceFolderName {
  path: string;
  delimiter: string;
}

/**
 * Turns folder rules as a person writes them (source folder names as the old server shows them,
 * with "/" between levels, e.g. "Projects/2024") into rules on the source's own paths (e.g.
 * "Projects.2024" on a server whose delimiter is "."). A name may also be given as the raw path.
 * `strict`: a name that matches no source folder is an error naming it (a typo must never copy
 * a folder the user meant to leave out); saved rules are read leniently (a folder may be gone).
 */
export function resolveRules(rules: MappingRules, folders: SourceFolderName[], strict: boolean): MappingRules {
  const byName = new Map<string, string>();
  for (const f of folders) {
    byName.set(f.path, f.path);
    if (f.delimiter && f.delimiter !== '/') byName.set(f.path.split(f.delimiter).join('/'), f.path);
  }
  const delimiter = folders.find((f) => f.delimiter)?.delimiter ?? '/';
  const lookup = (name: string, what: string): string | null => {
    const exact = byName.get(name) ?? byName.get(name.replace(/\/+$/, ''));
    if (exact !== undefined) return exact;
    // INBOX is case-insensitive (RFC 3501).
    if (name.toUpperCase() === 'INBOX') return [...byName.values()].find((p) => p.toUpperCase() === 'INBOX') ?? null;
    if (strict) throw new CutoverError({ code: 'usage', message: `The old mailbox has no folder "${name}" (${what}).`, retryable: false, facts: { folder: name } });
    return null;
  };
  const exclude: string[] = [];
  for (const name of rules.exclude) {
    if (name.endsWith('*')) {
      // A prefix pattern: "Archive/*" leaves out everything below Archive.
      exclude.push(name.slice(0, -1).split('/').join(delimiter) + '*');
      continue;
    }
    const path = lookup(name, 'to leave out');
    if (path !== null) exclude.push(path);
  }
  const rename: Record<string, string> = {};
  for (const [name, target] of Object.entries(rules.rename)) {
    if (target.trim() === '') {
      if (strict) throw new CutoverError({ code: 'usage', message: `The new name for "${name}" is empty.`, retryable: false, facts: { folder: name } });
      continue;
    }
    const path = lookup(name, 'to rename');
    if (path !== null) rename[path] = target;
  }
  return { exclude, rename };
}

/**
 * The rules for a pair: the ones given now (checked strictly, then saved with the pair, so a later
 * compare goes through them), or else the ones saved with the pair, or else none.
 */
export function rulesForPair(pairs: PairState, pairId: number, given: MappingRules | undefined, folders: SourceFolderName[]): MappingRules {
  if (given) {
    const resolved = resolveRules(given, folders, true);
    pairs.saveRules(pairId, resolved);
    return resolved;
  }
  const saved = pairs.rules(pairId);
  return saved ? resolveRules(saved, folders, false) : NO_RULES;
}
