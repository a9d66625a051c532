import { readFile, stat } from 'node:fs/promises';

/** One export file's bytes, named as the person knows it (a file name, a path, or a DAV address). */
export interface SourceBytes {
  origin: string;
  bytes: Buffer;
}

/** A source that could not be read at all: reported by name, the others go on. */
export interface UnreadableSource {
  origin: string;
  unreadable: string;
}

export type SourceFile = SourceBytes | UnreadableSource;

/** What the planners take: files one at a time, so only one file's bytes are in memory at once. */
export type SourceFiles = Iterable<SourceFile> | AsyncIterable<SourceFile>;

/** Larger files are reported instead of read: the readers need a few times a file's size in memory. */
export const MAX_SOURCE_FILE_BYTES = 256 * 1024 * 1024;

/** Reads export files from paths (the CLI, and files the app was given), each when the planner asks for it. */
export async function* readSourceFiles(paths: string[], names: string[] = paths): AsyncGenerator<SourceFile> {
  for (const [i, path] of paths.entries()) {
    const origin = names[i] ?? path;
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        yield { origin, unreadable: 'this is a folder, not a file' };
        continue;
      }
      if (info.size > MAX_SOURCE_FILE_BYTES) {
        yield { origin, unreadable: `the file is ${Math.round(info.size / 1024 / 1024)} MB; Cutover reads files up to ${MAX_SOURCE_FILE_BYTES / 1024 / 1024} MB` };
        continue;
      }
      yield { origin, bytes: await readFile(path) };
    } catch (err) {
      yield { origin, unreadable: readFailure(err) };
    }
  }
}

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'cannot read the file: it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file: permission denied';
  return `cannot read the file${code ? ` (${code})` : ''}`;
}

/** Text already in memory (a CardDAV/CalDAV answer, a test) as a source. */
export function sourceFromText(origin: string, text: string): SourceBytes {
  return { origin, bytes: Buffer.from(text, 'utf8') };
}
