import type { SpecialFolder } from '../../../shared/folder-mapping.js';

/** A special folder other than INBOX (sent, drafts, trash, junk, archive). */
export type Special = Exclude<SpecialFolder, 'inbox'>;

/** Special folders of a target known by name from elsewhere (Exchange: localized names from Graph). */
export type TargetSpecialNames = Partial<Record<Special, string>>;

/** What the planner needs to know of one folder (from LIST). */
export interface ListedFolder {
  path: string;
  delimiter: string;
  flags: Set<string>;
  specialUse: string | null;
}

/** One mailbox's folders as LIST and NAMESPACE describe them, plus what a target refuses or names elsewhere. */
export interface MailboxLayout {
  folders: ListedFolder[];
  /** Personal namespace prefix, e.g. "INBOX." on Courier; "" on most servers. */
  prefix: string;
  delimiter: string;
  /** Folder names the target refuses (Exchange: "Files"); such folders get a suffix. */
  reservedNames?: string[];
  /** Special folders known by name from elsewhere (Exchange has no SPECIAL-USE; Graph knows them). */
  specialNames?: TargetSpecialNames;
}

/** A mailbox's layout as LIST and NAMESPACE describe it. */
export function layoutOf(folders: ListedFolder[], namespace: { prefix: string; delimiter: string }): MailboxLayout {
  return {
    folders,
    prefix: namespace.prefix,
    delimiter: folders.find((f) => f.delimiter)?.delimiter ?? namespace.delimiter,
  };
}
