/**
 * The web host's API call frames, as both ends see them: the browser client writes
 * `{"id":N,"method":…,"args":[…]}` (the id first), at most RPC_MESSAGE_LIMIT bytes; the host
 * refuses anything else, naming the frame's id wherever it can be read.
 */

/** Largest API call the host reads (the biggest real one, a long folder rule list, is far smaller). */
export const RPC_MESSAGE_LIMIT = 1024 * 1024;

/** A call frame, with its id first so the host can read it even from a frame it refuses. */
export function callFrame(id: number, method: string, args: unknown[]): string {
  return JSON.stringify({ id, method, args });
}

/** Bytes of `text` as UTF-8, without allocating them. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The id at the start of a frame (`{"id":12,…` or `{"id":"a",…`), read without parsing the rest. */
export function leadingId(start: string): number | string | null {
  const m = /^\s*\{\s*"id"\s*:\s*(?:(\d{1,15})|"([^"\\]{0,64})")\s*[,}]/.exec(start);
  if (!m) return null;
  return m[1] !== undefined ? Number(m[1]) : m[2]!;
}
