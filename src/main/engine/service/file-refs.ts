import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { checkSelection, FILE_LIMITS, isOutlookDataFileName, type ChosenFile, type FileLimits, type FilePurpose } from '../../../shared/chosen-files.js';
import type { PimFiles } from '../../../shared/app-api.js';
import { CutoverError } from '../../../shared/errors.js';
import type { SkippedItem } from '../../../shared/pim-types.js';
import { readSourceFiles, type SourceFiles } from '../pim/read-source-files.js';

/** A chosen file as its host registered it: where it is on this computer and what the user called it. */
export interface RegisteredFile {
  path: string;
  name: string;
}

/**
 * How the engine finds a chosen file: the host (web upload store, the app's dialog, the CLI's
 * arguments) made the ref and knows the path and what it was chosen for. The page never sends a
 * path, so it cannot make the engine read any file the user did not choose, nor a file chosen as
 * calendar as contacts.
 */
export interface FileRefs {
  /** The file behind `ref`, when it was chosen for `purpose`; null otherwise. */
  resolve(ref: string, purpose: FilePurpose): Promise<RegisteredFile | null>;
  /**
   * The limits export files were chosen under (FILE_LIMITS when absent); null: none, for files a
   * person named on this computer's command line, read where they are like the CLI always did (the
   * readers' own guard, MAX_SOURCE_FILE_BYTES, still applies).
   */
  readonly limits?: FileLimits | null;
}

/** The refs of one host process, in memory: a ref lives as long as the host that made it. */
export class FileRegistry implements FileRefs {
  private readonly files = new Map<string, RegisteredFile & { purpose: FilePurpose }>();

  constructor(readonly limits: FileLimits | null = FILE_LIMITS) {}

  register(file: RegisteredFile & { size: number; purpose: FilePurpose }): ChosenFile {
    const ref = randomBytes(18).toString('base64url');
    this.files.set(ref, { path: file.path, name: file.name, purpose: file.purpose });
    return { ref, name: file.name, size: file.size };
  }

  forget(ref: string): void {
    this.files.delete(ref);
  }

  async resolve(ref: string, purpose: FilePurpose): Promise<RegisteredFile | null> {
    const file = this.files.get(ref);
    return file && file.purpose === purpose ? { path: file.path, name: file.name } : null;
  }
}

/**
 * Reads chosen files for the contacts/calendar planners: every ref must be known, and the files
 * as they are now (they may have grown since they were chosen) must fit the host's limits. Sources
 * and reports carry the name the user saw, never the host's storage path.
 */
export async function readChosenFiles(files: PimFiles, refs: FileRefs | undefined, purpose: FilePurpose): Promise<{ sources: SourceFiles; skipped: SkippedItem[] }> {
  const limits = refs?.limits === undefined ? FILE_LIMITS : refs.limits;
  const chosen: { path: string; name: string; size: number }[] = [];
  for (const file of files) {
    const found = await resolveFor(file, purpose, refs);
    if (!found) throw unavailable(file.name, `no file chosen for ${purpose} is registered under this reference in this session`);
    // Without limits there is nothing to check up front: a file that cannot be read is reported by the reader, by name.
    if (!limits) {
      chosen.push({ ...found, size: 0 });
      continue;
    }
    let size: number;
    try {
      size = statSync(found.path).size;
    } catch (err) {
      throw unavailable(found.name, 'it cannot be read', (err as NodeJS.ErrnoException).code ?? (err as Error).message);
    }
    chosen.push({ ...found, size });
  }
  // Outlook data files are read in place, item by item: the export limits do not apply to them.
  const tooLarge = limits ? checkSelection(chosen.filter((c) => !isOutlookDataFileName(c.name)), limits) : null;
  if (tooLarge) throw new CutoverError(tooLarge);
  // Read one file at a time as the planner asks, named as the user saw it.
  return { sources: readSourceFiles(chosen.map((c) => c.path), chosen.map((c) => c.name)), skipped: [] };
}

/** The file behind a ref chosen for `purpose`; an Outlook data file is chosen once ("outlook") and then read for contacts or for the calendar. */
export async function resolveFor(file: { ref: string; name: string }, purpose: FilePurpose, refs: FileRefs | undefined): Promise<RegisteredFile | null> {
  if (!refs) return null;
  return (await refs.resolve(file.ref, purpose)) ?? (isOutlookDataFileName(file.name) ? await refs.resolve(file.ref, 'outlook') : null);
}

/** One chosen file's local path (for an Outlook data file, which is read in place). */
export async function resolveChosenFile(file: { ref: string; name: string }, purpose: FilePurpose, refs: FileRefs | undefined): Promise<RegisteredFile> {
  const found = await resolveFor(file, purpose, refs);
  if (!found) throw unavailable(file.name, `no file chosen for ${purpose} is registered under this reference in this session`);
  return found;
}

/** The system's reason (ENOENT, EACCES…) goes to `detail`, for the log; the message states the fact. */
function unavailable(name: string, why: string, detail?: string): CutoverError {
  return new CutoverError({ code: 'file-unavailable', message: `The chosen file "${name}" is no longer available (${why}).`, retryable: false, ...(detail ? { detail } : {}) });
}
