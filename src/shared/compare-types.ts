export interface MissingMessage {
  uid: number;
  messageId: string | null;
  subject: string;
  date: string | null;
  from: string;
  size: number;
}

export interface FolderComparison {
  source: string;
  target: string | null;
  sourceCount: number;
  targetCount: number;
  sourceBytes: number;
  targetBytes: number;
  missing: MissingMessage[];
  extraOnTarget: number;
  flagMismatches: number;
}

export interface CompareReport {
  folders: FolderComparison[];
  missingTotal: number;
  /** Where the app saved this report (printable HTML and CSV), when it did. */
  savedTo?: { html: string; csv: string };
}
