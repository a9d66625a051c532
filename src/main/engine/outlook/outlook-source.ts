import { isCutoverError } from '../../../shared/errors.js';
import type { OutlookFileInfo, OutlookFolderInfo, SkippedItem } from '../../../shared/pim-types.js';
import type { OutlookSource } from '../pim/read-source-files.js';
import { OutlookDataFile, type OutlookFolderKind } from './outlook-file.js';

export interface OutlookPlanOptions {
  /**
   * The folders to read: ids from the folder list, or names or paths as the person typed them
   * (case does not matter). Empty or absent: the folders Outlook itself uses for contacts or
   * calendar items (class exactly IPF.Contact / IPF.Appointment).
   */
  outlookFolders?: string[];
  /** Called after each item (for progress on large files). */
  onProgress?: (p: { origin: string; done: number; total: number }) => void;
}

const PR_RECORD_KEY = 0x0ff9;

/** Opens a data file for a planner; a file that cannot be opened is one report, with its reason. */
export function openOutlookSource(source: OutlookSource, skipped: SkippedItem[]): { file: OutlookDataFile; storeKey: string } | null {
  try {
    const file = OutlookDataFile.open(source.path, source.origin);
    const storeKey = file.use(() => file.properties(file.messageStore()).binary(PR_RECORD_KEY)?.toString('hex').toUpperCase() ?? 'STORE');
    return { file, storeKey };
  } catch (err) {
    if (!isCutoverError(err)) throw err;
    skipped.push({ source: { file: source.origin, uid: '' }, reason: `the file was not read: ${err.message}` });
    return null;
  }
}

/** The folders of `kind` to read, in the file's order; requested names that match none are reported. */
export function chosenFolders(file: OutlookDataFile, kind: OutlookFolderKind, options: OutlookPlanOptions, origin: string, skipped: SkippedItem[]): OutlookFolderInfo[] {
  const all = file.folders().filter((f) => f.kind === kind);
  const wanted = options.outlookFolders?.filter((w) => w.trim()) ?? [];
  if (wanted.length === 0) {
    const suggested = all.filter((f) => f.suggested);
    if (suggested.length === 0) skipped.push({ source: { file: origin, uid: '' }, reason: `the file has no ${kind === 'contacts' ? 'contacts' : 'calendar'} folder` });
    return suggested;
  }
  const picked = new Set<OutlookFolderInfo>();
  for (const w of wanted) {
    const match = matchFolder(all, w);
    if (match.length) match.forEach((m) => picked.add(m));
    else if (!file.folders().some((f) => matchFolder([f], w).length)) skipped.push({ source: { file: origin, uid: '' }, reason: `the file has no folder "${w}"` });
  }
  return all.filter((f) => picked.has(f));
}

export function matchFolder(folders: OutlookFolderInfo[], wanted: string): OutlookFolderInfo[] {
  const w = wanted.trim().toLowerCase().replace(/^\/+|\/+$/g, '');
  const byId = folders.filter((f) => f.id === wanted.trim());
  if (byId.length) return byId;
  const byPath = folders.filter((f) => f.path.toLowerCase() === w);
  return byPath.length ? byPath : folders.filter((f) => f.name.toLowerCase() === w);
}

/** A data file's format and its contacts and calendar folders (throws the file's CutoverError when it cannot be opened). */
export function outlookFileInfo(path: string, name: string): OutlookFileInfo {
  const file = OutlookDataFile.open(path, name);
  try {
    return { name, format: file.format, folders: file.folders() };
  } finally {
    file.close();
  }
}
