/**
 * A message's bytes held as the pieces they arrived in (imap/imap-types.ts RawMessage): the few
 * places that must look at them do so without joining them, or join them once.
 */

/** The pieces as one Buffer (the piece itself when there is one). */
export function joinBytes(parts: readonly Buffer[]): Buffer {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Their total length. */
export function bytesLength(parts: readonly Buffer[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Whether any piece holds this byte value. */
export function bytesInclude(parts: readonly Buffer[], byte: number): boolean {
  return parts.some((p) => p.includes(byte));
}

/**
 * The start of the message, at least through its header (the first empty line) or `max` bytes:
 * enough to read header fields without joining a whole message.
 */
export function headerBytes(parts: readonly Buffer[], max = 65_536): Buffer {
  if (parts.length === 0) return Buffer.alloc(0);
  let taken = 0;
  const head: Buffer[] = [];
  for (const p of parts) {
    head.push(p);
    taken += p.length;
    if (taken >= max) break;
    // The empty line may straddle two pieces: look across the join too.
    const joined = head.length === 1 ? p : Buffer.concat(head.slice(-2));
    if (joined.includes('\r\n\r\n')) break;
  }
  return joinBytes(head);
}
