import type { Duplex } from 'node:stream';
import type { ImapFlow } from 'imapflow';
import { ResponseReader, WireProtocolError, type AfterResponse, type ReaderLimits, type WireResponse } from './response-reader.js';

/**
 * The bulk path of a copy (FETCH of bodies, APPEND of them) spoken directly on an imapflow
 * connection's socket, for the length of a few commands.
 *
 * Why: imapflow turns every response into generic tokens and objects and every command into one
 * Buffer, which for a message means its bytes copied twice and a few hundred objects made and
 * collected. Measured on 10,000 messages (845 MB), that was most of the copy's CPU and, through
 * the garbage collector's helper threads, as much again; on two cores the servers waited for it.
 * Here a body goes from the source socket's reads to the target socket's writes as the same
 * Buffers (views), and a command's literals need no continuation where the server has LITERAL+.
 *
 * imapflow keeps everything else (connecting, signing in, folders, flags, IDLE, errors it knows).
 * A session is taken only while imapflow is idle on the connection (no command in flight, nothing
 * half-read, no COMPRESS in between) and gives the socket back exactly where it found it: the
 * bytes after its last response are returned to the socket for imapflow to read. A session that
 * cannot end cleanly (a command broken off, a malformed response) closes the connection instead:
 * the copy's retry reconnects, and nothing half-read reaches imapflow.
 */

/** A tagged command's outcome. */
export interface TaggedResult {
  status: 'OK' | 'NO' | 'BAD';
  /** The response code's name (`APPENDUID`, `ALERT`, …), upper case, or null. */
  code: string | null;
  /** What follows the code's name inside the brackets (`1234 7:9` for APPENDUID). */
  codeArguments: string;
  text: string;
}

/** A piece of a command: bytes as they are, or a literal (its header written here). */
export type CommandPart = { text: Buffer } | { literal: readonly Buffer[]; size: number; binary: boolean };

/** imapflow's internals that taking over its socket relies on (checked, never assumed). */
interface ImapflowInternals {
  socket?: Duplex;
  writeSocket?: unknown;
  streamer?: Duplex & {
    lineBuffer?: unknown[];
    inputQueue?: unknown[];
    inputBuffer?: unknown[];
    literals?: unknown[];
    literalBuffer?: unknown[];
    literalWaiting?: number;
    state?: unknown;
    processingInput?: boolean;
  };
  _deflate?: unknown;
  currentRequest?: unknown | false;
  requestQueue?: unknown[];
  idling?: boolean;
  usable?: boolean;
  trySend?: () => Promise<void>;
}

/**
 * Stands in imapflow's "command in flight" slot while a session owns the socket: a command asked of
 * imapflow meanwhile (by any caller) waits in imapflow's own queue instead of going out on a socket
 * whose answers imapflow would never see. Released, the queue is sent.
 */
const HOLD = Object.freeze({ tag: '*cutover-wire*', command: 'CUTOVER-WIRE', attributes: [], options: {} });

interface Pending {
  tag: string;
  resolve: (r: TaggedResult) => void;
  reject: (err: Error) => void;
}

/** imapflow's reader (handler/imap-stream.js) between responses: reading a line, not a literal. */
const IMAP_STREAM_LINE = 0x01;
const TAGGED = /^(\S+) (OK|NO|BAD)(?: \[([^\]]*)\])? ?(.*)$/i;
const CRLF = Buffer.from('\r\n');
let tagCounter = 0;

/** An error shaped like imapflow's, so imap-errors.ts words every failure the same way. */
export function wireFailure(code: string, message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...fields });
}

export class WireSession {
  private readonly reader: ResponseReader;
  private readonly pending = new Map<string, Pending>();
  /** Commands written one at a time: a synchronizing literal holds the socket until the server's "+". */
  private writing: Promise<void> = Promise.resolve();
  private continuation: { tag: string; resolve: (go: boolean) => void; reject: (err: Error) => void } | null = null;
  private untagged: ((r: WireResponse) => void) | null = null;
  private reading = true;
  private leftover: Buffer | null = null;
  private broken: Error | null = null;
  private released = false;
  /** Bytes in `staging` not yet written. */
  private staged = 0;
  /** Commands whose bytes are not all written yet. */
  private writesInFlight = 0;
  private readonly onData = (chunk: Buffer): void => this.read(chunk);
  private readonly onClose = (): void => this.fail(wireFailure('NoConnection', 'Connection closed'), false);
  private readonly onTimeout = (): void => {
    if (this.pending.size > 0) this.fail(wireFailure('ETIMEOUT', 'Socket timeout'), true);
  };

  private constructor(
    private readonly client: ImapFlow,
    private readonly socket: Duplex,
    private readonly streamer: Duplex,
    private readonly staging: Buffer,
    limits: ReaderLimits,
  ) {
    this.reader = new ResponseReader(limits, (r) => this.onResponse(r));
    (client as unknown as ImapflowInternals).currentRequest = HOLD;
    socket.unpipe(streamer);
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('timeout', this.onTimeout);
    socket.resume();
  }

  /** The connection's socket, when imapflow is idle on it and nothing stands between (COMPRESS); else null. */
  static take(client: ImapFlow, staging: Buffer, limits: ReaderLimits): WireSession | null {
    const flow = client as unknown as ImapflowInternals;
    const { socket, streamer } = flow;
    if (!socket || !streamer || socket.destroyed || flow.usable === false) return null;
    if (flow.writeSocket !== socket || flow._deflate || flow.idling || flow.currentRequest || (flow.requestQueue?.length ?? 0) > 0) return null;
    // imapflow's reader must be between responses, with nothing queued or half-read.
    if (
      streamer.readableLength > 0 ||
      streamer.writableLength > 0 ||
      streamer.processingInput ||
      (streamer.state !== undefined && streamer.state !== IMAP_STREAM_LINE) ||
      (streamer.literalWaiting ?? 0) > 0 ||
      [streamer.lineBuffer, streamer.inputQueue, streamer.inputBuffer, streamer.literals, streamer.literalBuffer].some((list) => (list?.length ?? 0) > 0)
    ) {
      return null;
    }
    return new WireSession(client, socket, streamer, staging, limits);
  }

  /** Where the literals of responses go from now on (see ResponseReader.literalsInto). */
  set literalsInto(into: ((max: number) => Buffer) | null) {
    this.reader.literalsInto = into;
  }

  /**
   * Sends one command (`parts` after the tag) and resolves with its tagged result. Untagged
   * responses that arrive meanwhile go to `onUntagged` of the latest command that set one.
   * Commands may be sent without waiting for the last one's result (pipelining); they go out in
   * call order.
   */
  command(parts: readonly CommandPart[], literalPlus: boolean, onUntagged?: (r: WireResponse) => void): Promise<TaggedResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.released) return Promise.reject(wireFailure('ProtocolError', 'The session was already given back.'));
    if (onUntagged) this.untagged = onUntagged;
    const tag = `W${(++tagCounter).toString(36).toUpperCase()}`;
    const answer = new Promise<TaggedResult>((resolve, reject) => this.pending.set(tag, { tag, resolve, reject }));
    this.resumeReading();
    this.writesInFlight++;
    const write = this.writing.then(() => this.writeCommand(tag, parts, literalPlus)).finally(() => this.writesInFlight--);
    this.writing = write.catch(() => undefined);
    write.catch((err: unknown) => this.fail(err instanceof Error ? err : wireFailure('ProtocolError', String(err)), true));
    // Done only when answered and written: a server may answer (e.g. refuse) before it has read
    // a LITERAL+ literal, and until the last byte is out the caller's bytes are still being read.
    const result = Promise.all([answer, write]).then(([r]) => r);
    // A caller that stops at the first failure leaves the others unawaited: never an unhandled rejection.
    result.catch(() => undefined);
    return result;
  }

  /**
   * Gives the socket back to imapflow. When a command is still open or a response half-read, the
   * connection cannot be handed on in a known state, so it is closed instead.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.detach();
    if (!this.broken && !this.socket.destroyed && (this.pending.size > 0 || this.writesInFlight > 0 || !this.reader.isBetweenResponses)) {
      this.fail(wireFailure('ProtocolError', 'The session was given back with a command still open.'), true);
    }
    const flow = this.client as unknown as ImapflowInternals;
    if (flow.currentRequest === HOLD) flow.currentRequest = false;
    if (this.broken || this.socket.destroyed) return;
    this.socket.pause();
    if (this.leftover) this.socket.unshift(this.leftover);
    this.leftover = null;
    this.socket.pipe(this.streamer);
    // Commands asked of imapflow while the socket was ours go out now, in order.
    void flow.trySend?.call(this.client).catch(() => undefined);
  }

  private async writeCommand(tag: string, parts: readonly CommandPart[], literalPlus: boolean): Promise<void> {
    await this.put(Buffer.from(`${tag} `, 'latin1'));
    for (const part of parts) {
      if ('text' in part) {
        await this.put(part.text);
        continue;
      }
      await this.put(Buffer.from(`${part.binary ? '~' : ''}{${part.size}${literalPlus ? '+' : ''}}\r\n`, 'latin1'));
      if (!literalPlus) {
        await this.flush();
        if (!(await this.continued(tag))) return;
      }
      for (const piece of part.literal) await this.put(piece);
    }
    await this.put(CRLF);
    await this.flush();
  }

  /**
   * Copies bytes into the connection's staging buffer, writing it out whenever it is full. Why
   * not write the pieces themselves: a TLS socket given many small writes joins them (writev)
   * into a new buffer that the garbage collector must account for, and each write has its cost;
   * one reused 256 KB buffer makes one TLS write per 256 KB and allocates nothing.
   */
  private async put(bytes: Buffer): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const n = bytes.copy(this.staging, this.staged, at);
      this.staged += n;
      at += n;
      if (this.staged === this.staging.length) await this.flush();
    }
  }

  /** Writes what is staged and waits until the socket took it (so the buffer can be reused). */
  private async flush(): Promise<void> {
    if (this.broken) throw this.broken;
    if (this.staged === 0) return;
    const bytes = this.staging.subarray(0, this.staged);
    this.staged = 0;
    await new Promise<void>((resolve, reject) => {
      this.socket.write(bytes, (err?: Error | null) => {
        if (err || this.broken) reject(this.broken ?? err);
        else resolve();
      });
    });
  }

  /** Waits for the server's "+" before a synchronizing literal; false when it ended the command instead (a NO). */
  private continued(tag: string): Promise<boolean> {
    if (!this.pending.has(tag)) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => (this.continuation = { tag, resolve, reject }));
  }

  private read(chunk: Buffer): void {
    if (!this.reading) {
      // Bytes after the last answer while nothing is asked: kept for whoever reads next.
      this.leftover = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
      return;
    }
    try {
      const rest = this.reader.push(chunk);
      if (rest) this.leftover = rest;
    } catch (err) {
      this.fail(err instanceof WireProtocolError ? err : wireFailure('ProtocolError', String(err)), true);
    }
  }

  private onResponse(response: WireResponse): AfterResponse {
    const first = response.lines[0]!;
    if (first.startsWith('+')) {
      const waiting = this.continuation;
      this.continuation = null;
      waiting?.resolve(true);
      return 'continue';
    }
    if (first.startsWith('* ')) {
      if (/^\* BYE/i.test(first)) {
        this.fail(wireFailure('NoConnection', `Server closed the connection: ${first.slice(6)}`), true);
        return 'stop';
      }
      this.untagged?.(response);
      return 'continue';
    }
    const tagged = TAGGED.exec(first);
    const pending = tagged ? this.pending.get(tagged[1]!) : undefined;
    // A tagged line that is not ours cannot happen while imapflow is idle; it is ignored.
    if (!tagged || !pending) return 'continue';
    this.pending.delete(pending.tag);
    if (this.continuation?.tag === pending.tag) {
      // Refused before its literal (e.g. too large): nothing more of this command is sent.
      this.continuation.resolve(false);
      this.continuation = null;
    }
    const code = tagged[3] ?? null;
    const space = code ? code.indexOf(' ') : -1;
    pending.resolve({
      status: tagged[2]!.toUpperCase() as TaggedResult['status'],
      code: code === null ? null : (space < 0 ? code : code.slice(0, space)).toUpperCase(),
      codeArguments: code === null || space < 0 ? '' : code.slice(space + 1),
      text: Buffer.from(tagged[4] ?? '', 'latin1').toString('utf8'),
    });
    if (this.pending.size > 0) return 'continue';
    // Nothing more is asked: what follows belongs to imapflow (or the next command of this session).
    this.reading = false;
    return 'stop';
  }

  private resumeReading(): void {
    if (this.reading) return;
    this.reading = true;
    const rest = this.leftover;
    this.leftover = null;
    if (rest) this.read(rest);
  }

  /** Fails every open command; a session that broke mid-stream closes the connection (see the class comment). */
  private fail(err: Error, closeConnection: boolean): void {
    if (this.broken) return;
    this.broken = err;
    this.continuation?.reject(err);
    this.continuation = null;
    for (const p of [...this.pending.values()]) p.reject(err);
    this.pending.clear();
    if (closeConnection) {
      this.detach();
      this.client.close();
    }
    const flow = this.client as unknown as ImapflowInternals;
    if (flow.currentRequest === HOLD) flow.currentRequest = false;
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('timeout', this.onTimeout);
  }
}

/** A NO or BAD as imapflow reports it (responseStatus, responseText, serverResponseCode), throttling included. */
export function refusalOf(result: TaggedResult): Error {
  const fields: Record<string, unknown> = { responseStatus: result.status, responseText: result.text };
  if (result.code) fields.serverResponseCode = result.code;
  // Microsoft 365: "Request is throttled. Suggested Backoff Time: 92415 milliseconds" (as imapflow reads it).
  const backoff = /Request is throttled/i.test(result.text) ? /Backoff Time[:=\s]+(\d+)/i.exec(result.text) : null;
  if (backoff) Object.assign(fields, { throttleReset: Number(backoff[1]) });
  return wireFailure(backoff ? 'ETHROTTLE' : 'CommandRefused', `${result.status} ${result.text}`, fields);
}

/**
 * A FETCH's tagged result as imapflow takes it: OK, or a NO that only says some of the messages
 * asked for no longer exist (the answers for the others came); anything else is a refusal.
 */
export function throwUnlessFetched(result: TaggedResult): void {
  if (result.status !== 'OK' && !(result.status === 'NO' && /no longer exist/i.test(result.text))) throw refusalOf(result);
}
