/**
 * Splits what an IMAP server sends into whole responses, without copying literal bytes.
 *
 * A response is text lines joined by literals: a line that ends in `{N}` (or `~{N}`, a BINARY
 * literal) is followed by exactly N bytes, then the response goes on with the next line. Every
 * literal is kept as the views of the socket's reads it arrived in (`subarray`, no copy), so a
 * message body goes from the source's socket to the target's socket without being assembled,
 * and the only memory it takes is the reads themselves. Text lines are decoded as latin1 (one
 * character per byte, so quoted strings keep their bytes).
 *
 * Bounded like imapflow's own reader (imap-connection.ts IMAP_LIMITS): a line longer than
 * `maxLineBytes` or a literal longer than `maxLiteralBytes` is an error (`LineTooLarge`,
 * `LiteralTooLarge`), as are more than `maxLiterals` literals or `maxResponseBytes` in one response.
 */
export interface WireResponse {
  /** The text around the literals, without CRLF or literal markers: `literals.length + 1` lines. */
  lines: string[];
  /** Each literal as the pieces it arrived in, in order. */
  literals: Buffer[][];
}

export interface ReaderLimits {
  maxLineBytes: number;
  maxLiteralBytes: number;
  maxLiterals: number;
  /** Lines and literals of one response together (imapflow: twice its literal limit). */
  maxResponseBytes: number;
}

/** A reader error, shaped like imapflow's (a `code`) so imap-errors.ts words it the same way. */
export class WireProtocolError extends Error {
  constructor(
    readonly code: 'LineTooLarge' | 'LiteralTooLarge' | 'ResponseTooLarge' | 'ProtocolError',
    message: string,
  ) {
    super(message);
    this.name = 'WireProtocolError';
  }
}

const LF = 0x0a;
const LITERAL_MARKER = /~?\{(\d{1,19})\}$/;

/** What the consumer of a response wants next: go on reading, or stop and leave the rest unread. */
export type AfterResponse = 'continue' | 'stop';

export class ResponseReader {
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  private lines: string[] = [];
  private literals: Buffer[][] = [];
  private literalLeft = 0;
  private literal: Buffer[] = [];
  /** Bytes of the response being read so far. */
  private responseBytes = 0;
  /**
   * Where literals go: null keeps them as views of the reads; else a function that gives room for
   * up to `max` more bytes (at least one) for them to be copied into (sync/message-blocks.ts).
   * Room is asked for as bytes arrive, never for a whole announced size at once: a server that
   * announces 1 GB and sends nothing takes nothing.
   */
  literalsInto: ((max: number) => Buffer) | null = null;

  constructor(
    private readonly limits: ReaderLimits,
    private readonly onResponse: (response: WireResponse) => AfterResponse,
  ) {}

  /** True between responses: nothing of a response has been read. */
  get isBetweenResponses(): boolean {
    return this.lineBytes === 0 && this.lines.length === 0 && this.literalLeft === 0;
  }

  /**
   * Reads a chunk. Returns what is left of it unread when a response's consumer said 'stop' (the
   * bytes that belong to whoever reads the connection next), else null.
   */
  push(chunk: Buffer): Buffer | null {
    let at = 0;
    this.responseBytes += chunk.length;
    if (this.responseBytes > this.limits.maxResponseBytes) {
      throw new WireProtocolError('ResponseTooLarge', `The server sent a response larger than ${this.limits.maxResponseBytes} bytes.`);
    }
    while (at < chunk.length) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, chunk.length - at);
        if (this.literalsInto) this.fill(chunk, at, take);
        else this.literal.push(chunk.subarray(at, at + take));
        at += take;
        this.literalLeft -= take;
        if (this.literalLeft === 0) this.endLiteral();
        continue;
      }
      const lf = chunk.indexOf(LF, at);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.lineBytes += end - at;
      if (this.lineBytes > this.limits.maxLineBytes) {
        throw new WireProtocolError('LineTooLarge', `The server sent a line longer than ${this.limits.maxLineBytes} bytes.`);
      }
      this.lineParts.push(chunk.subarray(at, end));
      at = end;
      if (lf >= 0 && this.endLine() === 'stop') return at < chunk.length ? chunk.subarray(at) : null;
    }
    return null;
  }

  private endLine(): AfterResponse {
    const bytes = this.lineParts.length === 1 ? this.lineParts[0]! : Buffer.concat(this.lineParts);
    this.lineParts = [];
    this.lineBytes = 0;
    const cut = bytes.length >= 2 && bytes[bytes.length - 2] === 0x0d ? 2 : 1;
    // Some servers pad a response with NUL bytes in front; imapflow drops them, so do we.
    let start = 0;
    if (this.lines.length === 0) while (start < bytes.length - cut && bytes[start] === 0) start++;
    const line = bytes.toString('latin1', start, bytes.length - cut);
    const marker = LITERAL_MARKER.exec(line);
    if (marker) {
      const size = Number(marker[1]);
      if (size > this.limits.maxLiteralBytes) {
        throw new WireProtocolError('LiteralTooLarge', `The server announced a literal of ${size} bytes.`);
      }
      if (this.literals.length >= this.limits.maxLiterals) {
        throw new WireProtocolError('ResponseTooLarge', `The server sent more than ${this.limits.maxLiterals} literals in one response.`);
      }
      this.lines.push(line.slice(0, marker.index));
      this.literalLeft = size;
      this.literal = [];
      if (size === 0) this.endLiteral();
      return 'continue';
    }
    this.lines.push(line);
    // What is left of the chunk being read counts for the next response (push adds whole chunks).
    this.responseBytes = 0;
    const response: WireResponse = { lines: this.lines, literals: this.literals };
    this.lines = [];
    this.literals = [];
    return this.onResponse(response);
  }

  /** Copies `n` bytes of `chunk` from `at` into room, joining views that continue one another. */
  private fill(chunk: Buffer, at: number, n: number): void {
    while (n > 0) {
      const room = this.literalsInto!(n);
      const k = chunk.copy(room, 0, at, at + Math.min(n, room.length));
      const view = k === room.length ? room : room.subarray(0, k);
      const last = this.literal[this.literal.length - 1];
      if (last && last.buffer === view.buffer && last.byteOffset + last.length === view.byteOffset) {
        this.literal[this.literal.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + k);
      } else {
        this.literal.push(view);
      }
      at += k;
      n -= k;
    }
  }

  private endLiteral(): void {
    this.literals.push(this.literal);
    this.literal = [];
  }
}
