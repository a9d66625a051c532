/** Flags the server sets by itself and that can never be stored. */
const SESSION_FLAGS = new Set(['\\recent']);

const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'];

/** Canonical text form for the state DB: sorted, space-separated, without \Recent. */
export function flagsToText(flags: Iterable<string>): string {
  return [...flags].filter((f) => !SESSION_FLAGS.has(f.toLowerCase())).sort().join(' ');
}

export function flagsFromText(text: string): string[] {
  return text ? text.split(' ') : [];
}

/**
 * Splits source flags into what the target folder can store and what it cannot.
 * PERMANENTFLAGS with `\*` accepts any keyword; an empty list means the server did not say, and
 * then RFC 3501 lets us assume every flag is permanent.
 */
export function splitKeptFlags(flags: string[], permanentFlags: Set<string>): { kept: string[]; dropped: string[] } {
  if (permanentFlags.size === 0) return { kept: flags, dropped: [] };
  const lower = new Set([...permanentFlags].map((f) => f.toLowerCase()));
  const anyKeyword = lower.has('\\*');
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const flag of flags) {
    const isSystem = SYSTEM_FLAGS.some((s) => s.toLowerCase() === flag.toLowerCase());
    if (lower.has(flag.toLowerCase()) || (!isSystem && anyKeyword && !flag.startsWith('\\'))) kept.push(flag);
    else dropped.push(flag);
  }
  return { kept, dropped };
}
