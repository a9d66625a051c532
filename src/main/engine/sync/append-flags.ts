import { flagsFromText, flagsWithout, splitKeptFlags } from '../mail/message-flags.js';

/**
 * A target's rule for the flags of a new copy: which go with the APPEND and which are set with
 * UID STORE once the APPEND has its UID (Exchange: \Flagged, see m365/exchange-target.ts).
 */
export type AppendFlagPolicy = (flags: readonly string[]) => { append: string[]; storeAfter: string[] };

/** The flags of one copy, as the target can keep them. */
export interface CopyFlags {
  /** Sent with the APPEND. */
  append: string[];
  /** Set with STORE after the APPEND (only those the target folder can keep). */
  storeAfter: string[];
  /** Keywords the target folder cannot keep. */
  dropped: string[];
  /**
   * What the journal records with the completion until `storeAfter` is stored: the source's flags
   * without `storeAfter`. A run killed between the APPEND and the STORE thus sees a flag change on
   * the source's side next time and sets those flags then, instead of losing them.
   */
  journalFlags: string;
}

export function copyFlags(sourceFlags: string, extra: string[], permanentFlags: Set<string>, policy: AppendFlagPolicy | null): CopyFlags {
  const wanted = [...flagsFromText(sourceFlags), ...extra];
  const split = policy ? policy(wanted) : { append: wanted, storeAfter: [] };
  const append = splitKeptFlags(split.append, permanentFlags);
  const later = splitKeptFlags(split.storeAfter, permanentFlags);
  return {
    append: append.kept,
    storeAfter: later.kept,
    dropped: [...append.dropped, ...later.dropped],
    journalFlags: flagsWithout(sourceFlags, later.kept),
  };
}

/** Of the flags a copy should get by STORE after its APPEND, the ones a target message lacks. */
export function missingLater(sourceFlags: string, onTarget: Set<string>, permanentFlags: Set<string>, policy: AppendFlagPolicy | null): string[] {
  if (!policy) return [];
  const have = new Set([...onTarget].map((f) => f.toLowerCase()));
  return copyFlags(sourceFlags, [], permanentFlags, policy).storeAfter.filter((f) => !have.has(f.toLowerCase()));
}
