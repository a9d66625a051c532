import { bytesInclude } from '../mail/message-bytes.js';

/**
 * Dovecot (and others) cannot send a NUL byte in a BODY[] literal and sends 0x80 instead; only
 * BINARY[] (RFC 3516) carries the true byte. But BINARY[] also decodes base64/quoted-printable
 * parts and rewrites their headers, so it is not the raw message either.
 *
 * So: the raw message is the BODY[] bytes, and where BINARY[] has the same length (no part was
 * decoded) every 0x80 in BODY[] that is 0x00 in BINARY[] is a NUL the server had to mask.
 */
export function mayHaveMaskedNul(body: readonly Buffer[]): boolean {
  return bytesInclude(body, 0x80);
}

export function restoreNulBytes(body: Buffer, binary: Buffer): { bytes: Buffer; restored: number } | null {
  if (binary.length !== body.length) return null;
  let restored = 0;
  let out: Buffer | null = null;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    const c = binary[i]!;
    if (b === c) continue;
    if (b === 0x80 && c === 0x00) {
      out ??= Buffer.from(body);
      out[i] = 0;
      restored++;
      continue;
    }
    // Any other difference means BINARY[] transformed the message: do not trust it.
    return null;
  }
  return { bytes: out ?? body, restored };
}
