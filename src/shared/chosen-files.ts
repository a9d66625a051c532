import { z } from 'zod';
import { megabytes } from './byte-size.js';
import type { CutoverErrorData } from './errors.js';

/**
 * Files the user chooses (contacts and calendar exports) travel by reference, never as JSON text:
 * the host stores or registers each chosen file and hands the page an opaque `ref`; the engine
 * resolves the ref to a local path through the host's FileRefs. One set of limits for every door
 * (the page's check, the web host's upload, the app's dialog, the engine's resolver), so what the
 * step promises is what the transport allows.
 */
export const FILE_LIMITS = {
  /** Largest single file. */
  maxFileBytes: 50 * 1024 * 1024,
  /** Largest selection: all files of one contacts or calendar source together. */
  maxTotalBytes: 100 * 1024 * 1024,
  /** Most files in one selection. */
  maxFiles: 50,
  /** Longest file name kept for display. */
  maxNameLength: 260,
} as const;

/**
 * What the files are for: contacts or calendar exports, or Outlook's data file (.pst/.ost, which
 * holds both and may be many GB: it is read in place, item by item).
 */
export const FILE_PURPOSES = ['contacts', 'calendar', 'outlook'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
export const filePurposeSchema = z.enum(FILE_PURPOSES);

/** What each purpose accepts (file dialog filters and `<input accept>`). */
export const FILE_TYPES: Record<FilePurpose, { extensions: string[]; mimeTypes: string[] }> = {
  contacts: { extensions: ['vcf', 'vcard', 'csv'], mimeTypes: ['text/vcard', 'text/x-vcard', 'text/csv'] },
  calendar: { extensions: ['ics', 'ical', 'ifb'], mimeTypes: ['text/calendar'] },
  outlook: { extensions: ['pst', 'ost'], mimeTypes: ['application/vnd.ms-outlook'] },
};

export interface FileLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

/**
 * The limits per purpose where files are read by path (the desktop app, the CLI): exports are read
 * whole, so they keep FILE_LIMITS; an Outlook data file is read in place, one item at a time, so it
 * has no size limit. Uploads to the web host keep FILE_LIMITS for every purpose (`uploadLimits`).
 */
export const PURPOSE_LIMITS: Record<FilePurpose, FileLimits> = {
  contacts: FILE_LIMITS,
  calendar: FILE_LIMITS,
  outlook: { maxFiles: 1, maxFileBytes: Number.MAX_SAFE_INTEGER, maxTotalBytes: Number.MAX_SAFE_INTEGER },
};

/** What the web host's upload takes for a purpose: the tighter of the purpose's limits and FILE_LIMITS. */
export function uploadLimits(purpose: FilePurpose): FileLimits {
  const p = PURPOSE_LIMITS[purpose];
  return { maxFiles: Math.min(p.maxFiles, FILE_LIMITS.maxFiles), maxFileBytes: Math.min(p.maxFileBytes, FILE_LIMITS.maxFileBytes), maxTotalBytes: Math.min(p.maxTotalBytes, FILE_LIMITS.maxTotalBytes) };
}

/** An Outlook data file by its name (read in place, without the export limits). */
export function isOutlookDataFileName(name: string): boolean {
  return /\.(pst|ost)$/i.test(name);
}

/** A file as the page knows it after choosing: an opaque reference, its name and its size. */
export interface ChosenFile {
  ref: string;
  name: string;
  size: number;
}

/** Refs are random base64url tokens made by the host; anything else is refused at the door. */
export const fileRefSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a file reference');

export const fileNameSchema = z
  .string()
  .min(1, 'the file name is empty')
  .max(FILE_LIMITS.maxNameLength, `the file name is longer than ${FILE_LIMITS.maxNameLength} characters`)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'the file name has control characters or slashes');

export const chosenFilesSchema = z
  .array(z.object({ ref: fileRefSchema, name: fileNameSchema }))
  .min(1, 'choose at least one file')
  .max(FILE_LIMITS.maxFiles, `at most ${FILE_LIMITS.maxFiles} files at once`);

/** A file's name as it may be shown and sent: no control characters or slashes, at most 260 characters. */
export function displayFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim() || 'unnamed';
  return clean.length > FILE_LIMITS.maxNameLength ? clean.slice(0, FILE_LIMITS.maxNameLength) : clean;
}

/**
 * Checks a selection against FILE_LIMITS; returns the error to show (code `file-too-large`, with
 * the facts) or null. Used by the page before uploading, by the app after its dialog, and by the
 * engine when it resolves the refs (the files may have grown since).
 */
export function checkSelection(files: readonly { name: string; size: number }[], limits: FileLimits = FILE_LIMITS): CutoverErrorData | null {
  const fail = (message: string): CutoverErrorData => ({ code: 'file-too-large', message, retryable: false });
  if (files.length > limits.maxFiles) return fail(`${files.length} files were chosen; at most ${limits.maxFiles} can be read at once.`);
  const big = files.find((f) => f.size > limits.maxFileBytes);
  if (big) return fail(`"${big.name}" is ${megabytes(big.size)}; a file may be at most ${megabytes(limits.maxFileBytes)}.`);
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.maxTotalBytes) return fail(`The chosen files are ${megabytes(total)} together; at most ${megabytes(limits.maxTotalBytes)} can be read at once.`);
  return null;
}

