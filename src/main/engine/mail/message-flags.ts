/** Flags the server sets by itself and that can never be stored. */
const SESSION_FLAGS = new Set(['\\recent']);

const SYSTEM_FLAGS = new Set(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft']);

/** One of IMAP's five system flags (case-insensitive, as IMAP flags are). */
export function isSystemFlag(flag: string): boolean {
  return SYSTEM_FLAGS.has(flag.toLowerCase());
}

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
    if (lower.has(flag.toLowerCase()) || (!isSystemFlag(flag) && anyKeyword && !flag.startsWith('\\'))) kept.push(flag);
    else dropped.push(flag);
  }
  return { kept, dropped };
}

/** The canonical text without these flags (compared case-insensitively, as IMAP flags are). */
export function flagsWithout(text: string, flags: Iterable<string>): string {
  const drop = new Set([...flags].map((f) => f.toLowerCase()));
  return drop.size === 0 ? text : flagsToText(flagsFromText(text).filter((f) => !drop.has(f.toLowerCase())));
}

/**
 * What changed between two canonical flag texts: the flags to add and to remove. Carrying a change
 * over as this difference (STORE +FLAGS / -FLAGS, like mbsync) leaves flags that only the target
 * has alone, such as the $MDNSent Cutover adds for Exchange.
 */
export function flagChange(from: string, to: string): { add: string[]; remove: string[] } {
  const before = new Set(flagsFromText(from).map((f) => f.toLowerCase()));
  const after = new Set(flagsFromText(to).map((f) => f.toLowerCase()));
  return {
    add: flagsFromText(to).filter((f) => !before.has(f.toLowerCase())),
    remove: flagsFromText(from).filter((f) => !after.has(f.toLowerCase())),
  };
}
