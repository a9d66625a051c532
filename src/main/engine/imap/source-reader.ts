import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import { ImapConnection, type ConnectOptions, type ImapCredentials } from './imap-connection.js';
import type { RawMessage } from './imap-types.js';
import { MailboxConnection } from './mailbox-connection.js';
import { fetchedBody } from './wire/fetch-body.js';
import { throwUnlessFetched, type WireSession } from './wire/wire-session.js';
import { bytesLength } from '../mail/message-bytes.js';

/**
 * A mailbox that is only ever read: the old mailbox of every copy, and both sides of a comparison.
 * It has no method that writes, by construction: folders are opened with EXAMINE, bodies are read
 * with BODY.PEEK[] and BINARY.PEEK[] (never setting \Seen), and there is no SELECT, APPEND, STORE,
 * CREATE or EXPUNGE to call. "The source is never written" is this type.
 */
export class SourceReader extends MailboxConnection {
  private constructor(connection: ImapConnection) {
    super(connection);
  }

  static async connect(endpoint: ImapEndpoint, credentials: ImapCredentials, options: ConnectOptions): Promise<SourceReader> {
    return new SourceReader(await ImapConnection.connect(endpoint, credentials, options));
  }

  /**
   * Full raw messages of the examined folder through BODY.PEEK[]. The caller bounds the batch by
   * size. Spoken on the socket directly where imapflow can hand it over (wire/wire-session.ts):
   * the bodies are copied into `into` when given (reused memory), else kept as views of the
   * socket's reads; never joined.
   */
  fetchRaw(uids: number[], into?: LiteralRoom): Promise<RawMessage[]> {
    if (uids.length === 0) return Promise.resolve([]);
    return this.connection.spoken(
      'downloading messages',
      (session) => fetchBodies(session, `UID FETCH ${uidSet(uids)} (UID BODY.PEEK[])`, into),
      () => this.fetchRawThroughImapflow(uids),
    );
  }

  /**
   * A message too large to batch. Spoken directly, one FETCH holds it once (its pieces are never
   * joined); through imapflow, which joins a literal's pieces, in slices (fetchInSlices).
   */
  fetchLarge(uid: number, size: number, slice: number, into?: LiteralRoom): Promise<RawMessage | null> {
    return this.connection.spoken(
      'downloading a message',
      async (session) => (await fetchBodies(session, `UID FETCH ${uid} (UID BODY.PEEK[])`, into))[0] ?? null,
      () => this.slices(uid, size, slice),
    );
  }

  private async fetchRawThroughImapflow(uids: number[]): Promise<RawMessage[]> {
    const out: RawMessage[] = [];
    try {
      for await (const msg of this.connection.client.fetch(uids.join(','), { uid: true, source: true }, { uid: true })) {
        if (msg.source) out.push({ uid: msg.uid, parts: [msg.source], size: msg.source.length });
      }
    } catch (err) {
      throw this.connection.failure(err, 'downloading messages');
    }
    return out;
  }

  /**
   * One message's BODY.PEEK[] read in slices of `slice` bytes (BODY.PEEK[]<start.length>) into one
   * buffer of its size: a whole-message FETCH holds the literal twice while it arrives (its pieces,
   * then the joined bytes), which for a 30 MB message is 30 MB more than needed. Null when the
   * message is gone (expunged). `size` is RFC822.SIZE; a server whose bytes differ still gets them
   * all (the buffer grows).
   */
  fetchInSlices(uid: number, size: number, slice: number): Promise<RawMessage | null> {
    return this.connection.exclusive(() => this.slices(uid, size, slice));
  }

  private async slices(uid: number, size: number, slice: number): Promise<RawMessage | null> {
    let out = Buffer.allocUnsafe(Math.max(size, 0));
    let at = 0;
    try {
      for (;;) {
        const msg = await this.connection.client.fetchOne(String(uid), { uid: true, source: { start: at, maxLength: slice } }, { uid: true });
        if (!msg) return null;
        const part = msg.source;
        if (!part || part.length === 0) {
          if (at === 0) return null;
          break;
        }
        if (at + part.length > out.length) {
          const grown = Buffer.allocUnsafe(Math.max(at + part.length, out.length * 2));
          out.copy(grown, 0, 0, at);
          out = grown;
        }
        part.copy(out, at);
        at += part.length;
        if (part.length < slice) break;
      }
    } catch (err) {
      throw this.connection.failure(err, 'downloading a message');
    }
    return { uid, parts: [at === out.length ? out : out.subarray(0, at)], size: at };
  }

  /**
   * BINARY.PEEK[] of one message, or null when the server has no BINARY or refuses (e.g. a part
   * with a broken Content-Transfer-Encoding). Used only to recover NUL bytes, see sync/nul-recovery.ts.
   */
  async fetchBinary(uid: number): Promise<Buffer | null> {
    if (!this.hasCapability('BINARY')) return null;
    return this.connection.exclusive(() => this.binary(uid));
  }

  private async binary(uid: number): Promise<Buffer | null> {
    try {
      const msg = await this.connection.client.fetchOne(String(uid), { uid: true, source: true }, { uid: true, binary: true });
      return msg && msg.source ? msg.source : null;
    } catch (err) {
      const mapped = this.connection.failure(err, 'downloading a message');
      if (mapped.retryable) throw mapped;
      return null;
    }
  }

  /**
   * Keep in step: waits with IDLE on the examined folder until the server announces more messages
   * (EXISTS grew), `maxMs` passes or `signal` fires, then ends IDLE so the connection can be used
   * again. A connection that breaks meanwhile fails like any command (retryable). Only looks: IDLE
   * changes nothing on the server.
   */
  async waitForNew(maxMs: number, signal: AbortSignal): Promise<'new' | 'quiet'> {
    const client = this.connection.client;
    let done: (r: 'new' | 'quiet' | 'closed') => void = () => undefined;
    const outcome = new Promise<'new' | 'quiet' | 'closed'>((resolve) => (done = resolve));
    const onExists = (d: { count: number; prevCount: number }): void => {
      if (d.count > d.prevCount) done('new');
    };
    const onClose = (): void => done('closed');
    const onAbort = (): void => done('quiet');
    const timer = setTimeout(() => done('quiet'), maxMs);
    client.on('exists', onExists);
    client.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
    const lost = (): never => {
      throw this.connection.failure(Object.assign(new Error('Connection closed'), { code: 'NoConnection' }), 'waiting for new mail');
    };
    try {
      if (signal.aborted) return 'quiet';
      if (!this.isUsable) return lost();
      // idle() returns when IDLE ends (a command breaks it, or the connection closes).
      const idling = client.idle().then(
        () => 'ended' as const,
        () => 'ended' as const,
      );
      const first = await Promise.race([outcome, idling]);
      if (first === 'closed' || !this.isUsable) return lost();
      // Any command ends IDLE (imapflow sends DONE first); NOOP also collects what the server queued.
      await this.connection.run('ending IDLE', () => client.noop());
      await idling;
      return first === 'new' ? 'new' : 'quiet';
    } finally {
      clearTimeout(timer);
      client.off('exists', onExists);
      client.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Room for up to `max` more bytes of a body (sync/message-blocks.ts): bodies fetched with one are
 * copied there as they arrive instead of kept as views of the socket's reads.
 */
export type LiteralRoom = (max: number) => Buffer;

/**
 * The bodies a UID FETCH returns, as their pieces. A NO saying some messages no longer exist is
 * the answer for the others (as imapflow reads it): those were expunged meanwhile.
 */
async function fetchBodies(session: WireSession, command: string, into: LiteralRoom | undefined): Promise<RawMessage[]> {
  const out: RawMessage[] = [];
  if (into) session.literalsInto = into;
  const result = await session.command([{ text: Buffer.from(command, 'latin1') }], false, (response) => {
    const fetched = fetchedBody(response);
    if (fetched?.body) out.push({ uid: fetched.uid, parts: fetched.body, size: bytesLength(fetched.body) });
  });
  throwUnlessFetched(result);
  return out;
}

/** UIDs as an IMAP sequence set, runs of consecutive UIDs as ranges ("4:9,12"). */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
    ranges.push(sorted[i] === sorted[j] ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}
