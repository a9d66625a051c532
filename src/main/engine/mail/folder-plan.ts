import type { FolderMapping, MappingRules, SpecialFolder } from '../../../shared/folder-mapping.js';
import { DEFAULT_TARGET_NAMES, specialFromAttribute, specialFromName } from './special-folder-names.js';
import type { MailboxLayout, Special } from './mailbox-layout.js';

/**
 * Proposes where each source folder goes. Order of evidence: the user's rules, INBOX, SPECIAL-USE
 * attributes, well-known names, then the same name under the same (mapped) parent. The result is a
 * plain value the UI shows and edits before anything is copied.
 */
export function planFolders(source: MailboxLayout, target: MailboxLayout, rules: MappingRules): FolderMapping[] {
  const sourceSpecials = findSpecials(source);
  const targetSpecials = findSpecials(target);
  const targetPaths = new Set(target.folders.map((f) => f.path));
  const targetPathsLower = new Set(target.folders.map((f) => f.path.toLowerCase()));
  const reserved = new Set((target.reservedNames ?? []).map((n) => n.toLowerCase()));
  const bySourcePath = new Map(source.folders.map((f) => [f.path, f]));
  const memo = new Map<string, { segments: string[] | null; special: SpecialFolder | null; reason: FolderMapping['reason'] }>();

  const excluded = (path: string, delimiter: string): boolean =>
    rules.exclude.some((rule) => rule === path || (rule.endsWith('*') && path.startsWith(rule.slice(0, -1))) || path.startsWith(rule + delimiter));

  const mapPath = (path: string, delimiter: string): { segments: string[] | null; special: SpecialFolder | null; reason: FolderMapping['reason'] } => {
    const cached = memo.get(path);
    if (cached) return cached;
    let result: { segments: string[] | null; special: SpecialFolder | null; reason: FolderMapping['reason'] };
    const relative = stripPrefix(path, source.prefix);
    const segments = relative.split(delimiter).filter((s) => s.length > 0);
    const special = sourceSpecials.byPath.get(path) ?? null;
    if (excluded(path, delimiter)) {
      result = { segments: null, special: null, reason: 'user-excluded' };
    } else if (rules.rename[path] !== undefined) {
      result = { segments: rules.rename[path].split('/').filter(Boolean), special: null, reason: 'user-rename' };
    } else if (path.toUpperCase() === 'INBOX') {
      result = { segments: ['INBOX'], special: 'inbox', reason: 'inbox' };
    } else if (special) {
      const targetPath = targetSpecials.byKind.get(special.kind);
      const targetSegments = targetPath
        ? splitTarget(targetPath, target)
        : [segments[segments.length - 1] ?? DEFAULT_TARGET_NAMES[special.kind]];
      result = { segments: targetSegments, special: special.kind, reason: special.how };
    } else if (segments.length > 1) {
      const parentPath = (source.prefix && !path.startsWith(source.prefix) ? '' : source.prefix) + segments.slice(0, -1).join(delimiter);
      const parentListed = bySourcePath.get(parentPath);
      const parent = mapPath(parentPath, parentListed?.delimiter ?? delimiter);
      const leaf = sanitize(segments[segments.length - 1]!, target.delimiter);
      if (parent.segments === null) {
        // Parent excluded by the user: the child follows unless it has a rule of its own.
        result = { segments: null, special: null, reason: 'user-excluded' };
      } else {
        const mappedElsewhere = parent.reason !== 'same-name' && parent.reason !== 'not-selectable';
        result = { segments: [...parent.segments, leaf], special: null, reason: mappedElsewhere ? 'inside-mapped-parent' : 'same-name' };
      }
    } else {
      result = { segments: segments.map((s) => sanitize(s, target.delimiter)), special: null, reason: 'same-name' };
    }
    if (result.segments && result.segments.length === 1 && reserved.has(result.segments[0]!.toLowerCase())) {
      result = { ...result, segments: [`${result.segments[0]} (old mailbox)`] };
    }
    memo.set(path, result);
    return result;
  };

  const mappings: FolderMapping[] = source.folders.map((folder) => {
    const mapped = mapPath(folder.path, folder.delimiter);
    const selectable = !hasFlag(folder.flags, '\\Noselect') && !hasFlag(folder.flags, '\\NonExistent');
    const targetPath = mapped.segments ? joinTarget(mapped.segments, target) : null;
    return {
      source: folder.path,
      sourceDelimiter: folder.delimiter,
      target: targetPath,
      targetDelimiter: target.delimiter,
      special: mapped.special,
      reason: !selectable && mapped.reason === 'same-name' ? 'not-selectable' : mapped.reason,
      targetExists: targetPath !== null && (targetPaths.has(targetPath) || (targetPath.toUpperCase() === 'INBOX' && targetPathsLower.has('inbox'))),
      selectable,
    };
  });
  return mappings.sort((a, b) => (a.special === 'inbox' ? -1 : b.special === 'inbox' ? 1 : a.source.localeCompare(b.source)));
}

/** Finds each special folder of a mailbox: SPECIAL-USE first, then a well-known name at the top. */
interface Specials {
  byPath: Map<string, { kind: Special; how: 'special-use' | 'well-known-name' }>;
  byKind: Map<Special, string>;
}

function findSpecials(layout: MailboxLayout): Specials {
  const byPath = new Map<string, { kind: Special; how: 'special-use' | 'well-known-name' }>();
  const byKind = new Map<Special, string>();
  for (const [kind, name] of Object.entries(layout.specialNames ?? {}) as [Special, string][]) {
    const f = layout.folders.find((x) => x.path.toLowerCase() === (layout.prefix + name).toLowerCase());
    if (f && !byKind.has(kind)) {
      byKind.set(kind, f.path);
      byPath.set(f.path, { kind, how: 'special-use' });
    }
  }
  for (const f of layout.folders) {
    const kind = specialFromAttribute(f.specialUse);
    if (kind && !byKind.has(kind)) {
      byKind.set(kind, f.path);
      byPath.set(f.path, { kind, how: 'special-use' });
    }
  }
  for (const f of layout.folders) {
    if (byPath.has(f.path)) continue;
    const segments = stripPrefix(f.path, layout.prefix).split(f.delimiter).filter(Boolean);
    // Only top-level folders (or directly below INBOX, as some servers nest everything there).
    const topLevel = segments.length === 1 || (segments.length === 2 && segments[0]!.toUpperCase() === 'INBOX');
    if (!topLevel) continue;
    const kind = specialFromName(segments[segments.length - 1]!);
    if (kind && !byKind.has(kind)) {
      byKind.set(kind, f.path);
      byPath.set(f.path, { kind, how: 'well-known-name' });
    }
  }
  return { byPath, byKind };
}

function stripPrefix(path: string, prefix: string): string {
  return prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function splitTarget(path: string, target: MailboxLayout): string[] {
  return stripPrefix(path, target.prefix).split(target.delimiter).filter(Boolean);
}

function joinTarget(segments: string[], target: MailboxLayout): string {
  if (segments.length === 1 && segments[0]!.toUpperCase() === 'INBOX') return 'INBOX';
  // Servers that keep everything below INBOX (prefix "INBOX.") need the prefix on every other folder.
  if (segments[0]?.toUpperCase() === 'INBOX') return segments.join(target.delimiter);
  return target.prefix + segments.join(target.delimiter);
}

/** A source name may contain the target's delimiter ("2019.01" going to a '.' server): replace it. */
function sanitize(name: string, delimiter: string): string {
  return delimiter ? name.split(delimiter).join(delimiter === '-' ? '_' : '-') : name;
}

function hasFlag(flags: Set<string>, flag: string): boolean {
  for (const f of flags) if (f.toLowerCase() === flag.toLowerCase()) return true;
  return false;
}
