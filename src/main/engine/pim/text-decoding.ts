import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * What a file's bytes are, before any line is read. vCard and iCalendar are UTF-8 by their RFCs,
 * but real exports are not always: Windows tools write UTF-16 (with or without a byte-order mark),
 * Outlook writes vCard 2.1 in the Windows code page. The readers work on UTF-8 (or 8-bit) bytes,
 * so UTF-16 is converted here, once, and every guess is said out loud.
 */
export interface FileBytes {
  /** UTF-8 or 8-bit bytes, without a byte-order mark. */
  bytes: Buffer;
  /** Set when the encoding was assumed rather than declared: words for a warning. */
  assumed: string | null;
}

export function fileBytes(raw: Buffer): FileBytes {
  if (raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return { bytes: raw.subarray(3), assumed: null };
  if (raw.length >= 2 && raw[0] === 0xff && raw[1] === 0xfe) return { bytes: utf16ToUtf8(raw.subarray(2), 'utf16le'), assumed: null };
  if (raw.length >= 2 && raw[0] === 0xfe && raw[1] === 0xff) return { bytes: utf16ToUtf8(raw.subarray(2), 'utf16be'), assumed: null };
  // Without a byte-order mark, UTF-16 text that starts with ASCII ("BEGIN:") has a zero in every other byte.
  if (raw.length >= 4 && raw[0] !== 0 && raw[1] === 0 && raw[2] !== 0 && raw[3] === 0) {
    return { bytes: utf16ToUtf8(raw, 'utf16le'), assumed: 'the file was read as UTF-16 LE (it has no byte-order mark)' };
  }
  if (raw.length >= 4 && raw[0] === 0 && raw[1] !== 0 && raw[2] === 0 && raw[3] !== 0) {
    return { bytes: utf16ToUtf8(raw, 'utf16be'), assumed: 'the file was read as UTF-16 BE (it has no byte-order mark)' };
  }
  return { bytes: raw, assumed: null };
}

function utf16ToUtf8(bytes: Buffer, encoding: 'utf16le' | 'utf16be'): Buffer {
  return Buffer.from(iconv.decode(bytes, encoding, { stripBOM: true }), 'utf8');
}

export interface DecodedText {
  text: string;
  /** Set when the text's encoding was guessed: e.g. "Windows-1252 (the text is not valid UTF-8)". */
  assumed: string | null;
}

const WINDOWS_1252 = 'windows-1252';

/**
 * The text of one value. A declared CHARSET wins when it is one we know; otherwise UTF-8 when the
 * bytes are valid UTF-8, and Windows-1252 (what Outlook and Windows tools write in Western Europe)
 * when they are not, with a note that says so.
 */
export function decodeText(bytes: Buffer, charset: string | null = null): DecodedText {
  const declared = charset?.trim().toLowerCase() || null;
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && declared !== 'us-ascii' && iconv.encodingExists(declared)) {
    return { text: iconv.decode(bytes, declared), assumed: null };
  }
  const unknown = declared !== null && !['utf-8', 'utf8', 'us-ascii'].includes(declared);
  if (isAscii(bytes)) return { text: bytes.toString('latin1'), assumed: null };
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), assumed: unknown ? `UTF-8 (its CHARSET "${charset}" is unknown)` : null };
  const why = unknown ? `its CHARSET "${charset}" is unknown` : 'the text is not valid UTF-8';
  return { text: iconv.decode(bytes, WINDOWS_1252), assumed: `Windows-1252 (${why})` };
}

function isAscii(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}
