/** Where contacts and events go in Microsoft 365 unless the person names another folder or calendar. */
export const DEFAULT_PIM_FOLDER = { contacts: 'Contacts from old mailbox', calendar: 'Calendar from old mailbox' } as const;

/** Where an item came from: a file (its name or path) or a DAV collection (URL), and its UID there. */
export interface SourceRef {
  file: string;
  /** The UID exactly as written ('' when the item has none). */
  uid: string;
  /** Line in the file where the item starts, when it came from a file. */
  line?: number;
  /** For one occurrence of a repeating event kept as its own event: its start (ISO, in the event's zone). */
  occurrence?: string;
}

export interface PlannedItem<TBody> {
  source: SourceRef;
  /** The exact POST body sent to Microsoft Graph. */
  graph: TBody;
  warnings: string[];
}

export interface SkippedItem {
  source: SourceRef;
  reason: string;
}

export interface ContactGroupReport {
  source: SourceRef;
  name: string;
  members: string[];
}

export type GraphBody = Record<string, unknown>;

/** What a file was recognised as: "Outlook CSV (German)", "Google Contacts CSV", "Unicode PST (Outlook 2003 and later)". */
export interface SourceFormat {
  file: string;
  format: string;
}

export interface ContactsPlan {
  items: PlannedItem<GraphBody>[];
  skipped: SkippedItem[];
  /** Contact groups Graph cannot create, with their members so nothing is lost from view. */
  groups: ContactGroupReport[];
}

export interface PlannedEvent extends PlannedItem<GraphBody> {
  /** Occurrences of the series removed at the source (EXDATE), as YYYY-MM-DD in the event's zone. */
  cancelledOccurrences: string[];
  /** Occurrences changed at the source (RECURRENCE-ID): the original start and the PATCH body. */
  modifiedOccurrences: { originalStart: string; graph: GraphBody }[];
}

export interface CalendarPlan {
  items: PlannedEvent[];
  skipped: SkippedItem[];
}

export interface PimCopySummary {
  folder: string;
  created: number;
  updated: number;
  unchanged: number;
  failed: { source: SourceRef; reason: string }[];
  skipped: SkippedItem[];
  groups?: ContactGroupReport[];
  /** Facts about the whole copy worth telling (e.g. the time zone used when the mailbox's was unreadable). */
  warnings?: string[];
}

export interface PimUndoSummary {
  deleted: number;
  failed: { id: string; reason: string }[];
  /**
   * Events that have attendees now (made into meetings in Outlook): not deleted, so no cancellation
   * is sent. `subject` is the event's subject in the mailbox now (null when it has none).
   */
  leftAlone: { id: string; subject: string | null; reason: string }[];
}

/** A contacts or calendar folder of an Outlook data file (.pst/.ost), for the person to pick. */
export interface OutlookFolderInfo {
  /** Stable within the file (its node id); names may repeat. */
  id: string;
  name: string;
  /** From the top of the file, "/"-separated ("Calendar/United States holidays"). */
  path: string;
  kind: 'contacts' | 'calendar';
  /** Outlook's container class (IPF.Contact, IPF.Appointment, IPF.Contact.RecipientCache, …). */
  containerClass: string;
  /** Items in the folder, as the file counts them. */
  items: number;
  /** The folders Outlook itself keeps contacts or appointments in; chosen unless the person picks others. */
  suggested: boolean;
}

/** What an Outlook data file holds for contacts or calendar. */
export interface OutlookFileInfo {
  name: string;
  /** "Unicode PST (Outlook 2003 and later)" and the like. */
  format: string;
  folders: OutlookFolderInfo[];
}
