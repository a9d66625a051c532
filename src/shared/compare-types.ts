export interface MissingMessage {
  uid: number;
  messageId: string | null;
  subject: string;
  date: string | null;
  from: string;
  size: number;
}

/** A source message that is on the target more often than on the source. */
export interface DuplicateMessage {
  messageId: string | null;
  subject: string;
  date: string | null;
  /** How many more times it is on the target than on the source. */
  copies: number;
}

export interface FolderComparison {
  source: string;
  /** Where the folder goes (the pair's mapping); null when it is left out. */
  target: string | null;
  /** The user left this folder out: listed, never counted as missing. */
  leftOut: boolean;
  sourceCount: number;
  targetCount: number;
  sourceBytes: number;
  targetBytes: number;
  missing: MissingMessage[];
  duplicates: DuplicateMessage[];
  /** Messages on the target that are not from the source folder (there before, or put there by someone else). */
  extraOnTarget: number;
  flagMismatches: number;
}

export interface CompareReport {
  folders: FolderComparison[];
  missingTotal: number;
  /** Extra copies over all folders (the sum of every duplicate's `copies`). */
  duplicateTotal: number;
  /** Nothing missing and nothing duplicated. */
  complete: boolean;
  /** Where the app saved this report (printable HTML and CSV), when it did. */
  savedTo?: { html: string; csv: string };
}

/** A folder is complete when nothing is missing and nothing is duplicated (left-out folders do not count). */
export function folderComplete(f: FolderComparison): boolean {
  return f.leftOut || (f.missing.length === 0 && f.duplicates.length === 0);
}

/** One message with extra copies on the target, as "remove the extra copies Cutover made" sees it. */
export interface ExtraCopyGroup {
  messageId: string | null;
  subject: string;
  date: string | null;
  sourceCount: number;
  targetCount: number;
  /** Copies Cutover itself appended that go (at most targetCount − sourceCount). */
  remove: number;
  /** Extra copies Cutover cannot prove it made: never touched. */
  keptUnproven: number;
}

export interface ExtraCopiesFolder {
  source: string;
  target: string;
  /** The target folder's UIDVALIDITY when planned: removal is refused if it changed. */
  uidValidity: number;
  /** Target UIDs that would be removed (all appended by Cutover, per the journal). */
  uids: number[];
  groups: ExtraCopyGroup[];
}

/** The preview: exactly what removing would touch, and what it leaves alone. */
export interface ExtraCopiesPlan {
  folders: ExtraCopiesFolder[];
  remove: number;
  keptUnproven: number;
}

export interface ExtraCopiesResult {
  removed: number;
  folders: { source: string; target: string; removed: number }[];
}
