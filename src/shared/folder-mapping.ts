/** Special folders every mail system has, in the words of RFC 6154 (SPECIAL-USE). */
export type SpecialFolder = 'inbox' | 'sent' | 'drafts' | 'trash' | 'junk' | 'archive';

/** Why a source folder goes where it goes: shown to the user next to each line of the mapping. */
export type MappingReason =
  | 'inbox'
  | 'special-use'
  | 'well-known-name'
  | 'same-name'
  | 'inside-mapped-parent'
  | 'user-rename'
  | 'user-excluded'
  | 'not-selectable';

export interface FolderMapping {
  /** Source folder path as the user sees it (decoded from modified UTF-7). */
  source: string;
  sourceDelimiter: string;
  /** Target folder path (decoded); null when the folder is excluded. */
  target: string | null;
  targetDelimiter: string;
  special: SpecialFolder | null;
  reason: MappingReason;
  /** The target folder exists already (otherwise it is created before copying). */
  targetExists: boolean;
  /** The source folder can hold messages (no \Noselect / \NonExistent). */
  selectable: boolean;
}

/** User rules, applied on top of the automatic mapping. Paths use the source's own delimiter. */
export interface MappingRules {
  /** Source folder paths (or prefixes ending with the delimiter + '*') not to copy. */
  exclude: string[];
  /** Source folder path → target folder path (target path written with '/' as separator). */
  rename: Record<string, string>;
}

export const NO_RULES: MappingRules = { exclude: [], rename: {} };
