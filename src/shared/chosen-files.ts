import { z } from 'zod';
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

export const FILE_PURPOSES = ['contacts', 'calendar'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
export const filePurposeSchema = z.enum(FILE_PURPOSES);

/** What each purpose accepts (file dialog filters and `<input accept>`). */
export const FILE_TYPES: Record<FilePurpose, { extensions: string[]; mimeTypes: string[] }> = {
  contacts: { extensions: ['vcf', 'vcard'], mimeTypes: ['text/vcard', 'text/x-vcard'] },
  calendar: { extensions: ['ics', 'ical', 'ifb'], mimeTypes: ['text/calendar'] },
};

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
export function checkSelection(files: readonly { name: string; size: number }[]): CutoverErrorData | null {
  const fail = (message: string): CutoverErrorData => ({ code: 'file-too-large', message, retryable: false });
  if (files.length > FILE_LIMITS.maxFiles) return fail(`${files.length} files were chosen; at most ${FILE_LIMITS.maxFiles} can be read at once.`);
  const big = files.find((f) => f.size > FILE_LIMITS.maxFileBytes);
  if (big) return fail(`"${big.name}" is ${megabytes(big.size)}; a file may be at most ${megabytes(FILE_LIMITS.maxFileBytes)}.`);
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > FILE_LIMITS.maxTotalBytes) return fail(`The chosen files are ${megabytes(total)} together; at most ${megabytes(FILE_LIMITS.maxTotalBytes)} can be read at once.`);
  return null;
}

/** "2.1 MB" (decimal-looking but binary megabytes, like file managers show them). */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}
