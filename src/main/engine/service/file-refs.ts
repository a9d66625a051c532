import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { checkSelection, FILE_LIMITS, isOutlookDataFileName, type ChosenFile, type FileLimits } from '../../../shared/chosen-files.js';
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
 * How the engine finds a chosen file: the host (web upload store, the app's dialog) made the ref
 * and knows the path. The page never sends a path, so it cannot make the engine read any file
 * the user did not choose.
 */
export interface FileRefs {
  resolve(ref: string): Promise<RegisteredFile | null>;
  /**
   * The limits export files were chosen under (FILE_LIMITS when absent); null: none, for files a
   * person named on this computer's command line, read where they are like the CLI always did (the
   * readers' own guard, MAX_SOURCE_FILE_BYTES, still applies).
   */
  readonly limits?: FileLimits | null;
}

/** The refs of one host process, in memory: a ref lives as long as the host that made it. */
export class FileRegistry implements FileRefs {
  private readonly files = new Map<string, RegisteredFile>();

  constructor(readonly limits: FileLimits | null = FILE_LIMITS) {}

  register(file: RegisteredFile & { size: number }): ChosenFile {
    const ref = randomBytes(18).toString('base64url');
    this.files.set(ref, { path: file.path, name: file.name });
    return { ref, name: file.name, size: file.size };
  }

  forget(ref: string): void {
    this.files.delete(ref);
  }

  async resolve(ref: string): Promise<RegisteredFile | null> {
    return this.files.get(ref) ?? null;
  }
}

/**
 * Reads chosen files for the contacts/calendar planners: every ref must be known, and the files
 * as they are now (they may have grown since they were chosen) must fit FILE_LIMITS. Sources and
 * reports carry the name the user saw, never the host's storage path.
 */
export async function readChosenFiles(files: PimFiles, refs: FileRefs | undefined): Promise<{ sources: SourceFiles; skipped: SkippedItem[] }> {
  const limits = refs?.limits === undefined ? FILE_LIMITS : refs.limits;
  const chosen: { path: string; name: string; size: number }[] = [];
  for (const file of files) {
    const found = refs ? await refs.resolve(file.ref) : null;
    if (!found) throw unavailable(file.name, 'no file is registered under this reference in this session');
    // Without limits there is nothing to check up front: a file that cannot be read is reported by the reader, by name.
    if (!limits) {
      chosen.push({ ...found, size: 0 });
      continue;
    }
    let size: number;
    try {
      size = statSync(found.path).size;
    } catch (err) {
      throw unavailable(found.name, (err as NodeJS.ErrnoException).code ?? 'it cannot be read');
    }
    chosen.push({ ...found, size });
  }
  // Outlook data files are read in place, item by item: the export limits do not apply to them.
  const tooLarge = limits ? checkSelection(chosen.filter((c) => !isOutlookDataFileName(c.name)), limits) : null;
  if (tooLarge) throw new CutoverError(tooLarge);
  // Read one file at a time as the planner asks, named as the user saw it.
  return { sources: readSourceFiles(chosen.map((c) => c.path), chosen.map((c) => c.name)), skipped: [] };
}

/** One chosen file's local path (for an Outlook data file, which is read in place). */
export async function resolveChosenFile(file: { ref: string; name: string }, refs: FileRefs | undefined): Promise<RegisteredFile> {
  const found = refs ? await refs.resolve(file.ref) : null;
  if (!found) throw unavailable(file.name, 'no file is registered under this reference in this session');
  return found;
}

function unavailable(name: string, why: string): CutoverError {
  return new CutoverError({ code: 'file-unavailable', message: `The chosen file "${name}" is no longer available (${why}).`, retryable: false });
}
