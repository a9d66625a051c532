import { open, readFile, stat } from 'node:fs/promises';
import { megabytes } from '../../../shared/byte-size.js';

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

/**
 * An Outlook data file (.pst/.ost): read in place, item by item, never loaded whole (it may be many
 * GB), so it has no size limit.
 */
export interface OutlookSource {
  origin: string;
  path: string;
  outlook: true;
}

export type SourceFile = SourceBytes | UnreadableSource | OutlookSource;

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
      if (await isOutlookDataFile(path, origin)) {
        yield { origin, path, outlook: true };
        continue;
      }
      if (info.size > MAX_SOURCE_FILE_BYTES) {
        yield { origin, unreadable: `the file is ${megabytes(info.size)}; Cutover reads files up to ${megabytes(MAX_SOURCE_FILE_BYTES)}` };
        continue;
      }
      yield { origin, bytes: await readFile(path) };
    } catch (err) {
      yield { origin, unreadable: readFailure(err) };
    }
  }
}

/** .pst/.ost by name, or any file that starts with the data files' signature "!BDN" (MS-PST §2.2.2.6). */
export async function isOutlookDataFile(path: string, name: string): Promise<boolean> {
  if (/\.(pst|ost)$/i.test(name) || /\.(pst|ost)$/i.test(path)) return true;
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString('latin1') === '!BDN';
  } finally {
    await handle.close();
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
