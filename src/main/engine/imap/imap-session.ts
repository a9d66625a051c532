import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { ImapFlow, type FetchMessageObject, type ImapFlowOptions, type ListResponse } from 'imapflow';
import { CutoverError } from '../../../shared/errors.js';
import { describeEndpoint, type ImapEndpoint } from '../../../shared/imap-endpoint.js';
import { encodeMailboxName, expandUidSet, imapDateTime } from './imap-date.js';
import { loadCaFile } from '../net/ca-file.js';
import { asciiHost } from '../net/host-name.js';
import { connectExplained } from './connect-explained.js';
import { toCutoverError, type AccountLabel } from './imap-errors.js';

/**
 * Bounds on what a server may send, far below imapflow's defaults (1 GiB lines, a million tokens),
 * so a broken or hostile server that sends one endless line or floods a response fails the
 * connection fast with bounded memory (code `response-too-large`). Real answers stay far below:
 * the longest lines we read are LIST/STATUS and ENVELOPE lines (kilobytes), and a SEARCH of a
 * million UIDs is about 8 MB. Message bodies arrive as literals, which keep imapflow's 1 GiB cap:
 * a real message may be hundreds of megabytes.
 */
export const IMAP_LIMITS = {
  maxLineBytes: 8 * 1024 * 1024,
  maxResponseTokens: 200_000,
} as const;

export interface ConnectOptions {
  role: 'source' | 'target';
  /** Extra certificate authority to trust (PEM file), on top of the system's. */
  caFile?: string;
  /** Milliseconds of silence before a connection counts as dead. */
  socketTimeoutMs?: number;
}

export type ImapCredentials = { password: string } | { accessToken: string };

export interface FolderListing {
  path: string;
  delimiter: string;
  flags: Set<string>;
  /** SPECIAL-USE attribute sent by the server (never a guess from the name). */
  specialUse: string | null;
  status: FolderStatus | null;
}

export interface FolderStatus {
  messages: number;
  uidNext: number;
  uidValidity: number;
  highestModseq: string | null;
}

export interface OpenedFolder {
  path: string;
  uidValidity: number;
  uidNext: number;
  exists: number;
  highestModseq: string | null;
  /** PERMANENTFLAGS of a read-write folder; `\*` means any keyword can be created. */
  permanentFlags: Set<string>;
}

export interface MessageMeta {
  uid: number;
  size: number;
  internalDate: Date | null;
  flags: Set<string>;
  messageId: string | null;
  subject: string;
  from: string;
  date: string | null;
}

export interface RawMessage {
  uid: number;
  source: Buffer;
}

/**
 * One IMAP connection, the only place that talks to imapflow. Methods are the handful of operations
 * the engine needs; every failure leaves here as a CutoverError naming the account.
 */
export class ImapSession {
  readonly account: AccountLabel;
  private readonly client: ImapFlow;
  private lastError: unknown = null;
  private closed = false;

  private constructor(client: ImapFlow, account: AccountLabel) {
    this.client = client;
    this.account = account;
    // imapflow emits 'error' for socket failures; without a listener Node would crash the process.
    client.on('error', (err: unknown) => {
      this.lastError = err;
    });
    client.on('close', () => {
      this.closed = true;
    });
  }

  static async connect(endpoint: ImapEndpoint, credentials: ImapCredentials, options: ConnectOptions): Promise<ImapSession> {
    const account: AccountLabel = { role: options.role, display: describeEndpoint(endpoint) };
    // Before any socket: a bad CA file or host name is the user's input, not the server's fault.
    const host = asciiHost(endpoint.host);
    const ca = options.caFile ? [...rootCertificates, loadCaFile(options.caFile)] : undefined;
    const auth = 'password' in credentials ? { user: endpoint.user, pass: credentials.password } : { user: endpoint.user, accessToken: credentials.accessToken };
    const imapOptions: ImapFlowOptions = {
      host,
      port: endpoint.port,
      secure: endpoint.tls === 'implicit',
      // STARTTLS is mandatory for imap:// unless plaintext was asked for (loopback only, checked at parse time).
      doSTARTTLS: endpoint.tls === 'starttls' ? true : endpoint.tls === 'none' ? false : undefined,
      auth,
      logger: false,
      disableAutoIdle: true,
      // Exchange Online misbehaves in IMAP4rev2 mode, and we need nothing from it elsewhere.
      disableIMAP4rev2: true,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: options.socketTimeoutMs ?? 120_000,
      maxLineLength: IMAP_LIMITS.maxLineBytes,
      maxResponseTokens: IMAP_LIMITS.maxResponseTokens,
      clientInfo: { name: 'Cutover' },
      tls: {
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        ...(ca ? { ca } : {}),
        ...(isIP(host) ? {} : { servername: host }),
      },
    };
    const client = new ImapFlow(imapOptions);
    const session = new ImapSession(client, account);
    try {
      await connectExplained(client, {
        target: { host, port: endpoint.port, ...(isIP(host) ? {} : { servername: host }) },
        shownAs: endpoint.host,
        mode: endpoint.tls,
        account,
      });
    } catch (err) {
      client.close();
      throw toCutoverError(err, account, 'connecting');
    }
    return session;
  }

  get isUsable(): boolean {
    return !this.closed && this.client.usable;
  }

  hasCapability(name: string): boolean {
    return this.client.capabilities.has(name);
  }

  /** The personal namespace prefix and delimiter (e.g. "INBOX." on Courier-style servers). */
  get personalNamespace(): { prefix: string; delimiter: string } {
    const ns = this.client.namespace as { prefix?: string; delimiter?: string } | undefined;
    return { prefix: ns?.prefix ?? '', delimiter: ns?.delimiter ?? '/' };
  }

  async listFolders(withStatus: boolean): Promise<FolderListing[]> {
    const entries = await this.run('listing folders', () =>
      this.client.list(withStatus ? { statusQuery: { messages: true, uidNext: true, uidValidity: true, highestModseq: true } } : {}),
    );
    return entries.map((e: ListResponse) => ({
      path: e.path,
      delimiter: e.delimiter || '/',
      flags: e.flags,
      specialUse: e.specialUseSource === 'extension' && e.specialUse ? e.specialUse : null,
      status:
        e.status && e.status.uidNext !== undefined && e.status.uidValidity !== undefined
          ? {
              messages: e.status.messages ?? 0,
              uidNext: e.status.uidNext,
              uidValidity: Number(e.status.uidValidity),
              highestModseq: e.status.highestModseq !== undefined ? e.status.highestModseq.toString() : null,
            }
          : null,
    }));
  }

  /** Opens a folder; the source is always opened with EXAMINE so nothing there can change. */
  async open(path: string, readOnly: boolean): Promise<OpenedFolder> {
    const box = await this.run(`opening folder "${path}"`, () => this.client.mailboxOpen(path, { readOnly }));
    return {
      path: box.path,
      uidValidity: Number(box.uidValidity),
      uidNext: box.uidNext,
      exists: box.exists,
      highestModseq: box.highestModseq !== undefined && !box.noModseq ? box.highestModseq.toString() : null,
      permanentFlags: box.permanentFlags ?? new Set(),
    };
  }

  async createFolder(segments: string[]): Promise<void> {
    await this.run(`creating folder "${segments.join('/')}"`, () => this.client.mailboxCreate(segments));
  }

  /** Envelope-level facts of messages (never bodies), for matching and comparison. */
  async *fetchMeta(uidRange: string, changedSince?: string): AsyncGenerator<MessageMeta> {
    const options = changedSince ? { uid: true, changedSince: BigInt(changedSince) } : { uid: true };
    try {
      for await (const msg of this.client.fetch(uidRange, { uid: true, flags: true, size: true, internalDate: true, envelope: true }, options)) {
        yield metaOf(msg);
      }
    } catch (err) {
      throw this.failure(err, 'reading message details');
    }
  }

  /** Only the flags (cheap), for propagating flag changes. */
  async *fetchFlags(uidRange: string, changedSince?: string): AsyncGenerator<{ uid: number; flags: Set<string> }> {
    const options = changedSince ? { uid: true, changedSince: BigInt(changedSince) } : { uid: true };
    try {
      for await (const msg of this.client.fetch(uidRange, { uid: true, flags: true }, options)) {
        yield { uid: msg.uid, flags: msg.flags ?? new Set() };
      }
    } catch (err) {
      throw this.failure(err, 'reading flags');
    }
  }

  /** Full raw messages through BODY.PEEK[] (never sets \Seen). The caller bounds the batch by size. */
  async *fetchRaw(uids: number[]): AsyncGenerator<RawMessage> {
    if (uids.length === 0) return;
    try {
      for await (const msg of this.client.fetch(uids.join(','), { uid: true, source: true }, { uid: true })) {
        if (msg.source) yield { uid: msg.uid, source: msg.source };
      }
    } catch (err) {
      throw this.failure(err, 'downloading messages');
    }
  }

  /**
   * BINARY.PEEK[] of one message, or null when the server has no BINARY or refuses (e.g. a part
   * with a broken Content-Transfer-Encoding). Used only to recover NUL bytes, see nul-recovery.ts.
   */
  async fetchBinary(uid: number): Promise<Buffer | null> {
    if (!this.hasCapability('BINARY')) return null;
    try {
      const msg = await this.client.fetchOne(String(uid), { uid: true, source: true }, { uid: true, binary: true });
      return msg && msg.source ? msg.source : null;
    } catch (err) {
      const mapped = this.failure(err, 'downloading a message');
      if (mapped.retryable) throw mapped;
      return null;
    }
  }

  /** APPEND; resolves the new UID when the server has UIDPLUS. Refusals surface as server-refused. */
  async append(path: string, raw: Buffer, flags: string[], internalDate: Date | null): Promise<{ uid: number | null; uidValidity: number | null }> {
    const res = await this.run(`storing a message in "${path}"`, () => this.client.append(path, raw, flags, internalDate ?? undefined));
    if (res === false) {
      throw new CutoverError({ code: 'message-refused', message: `The target refused a message in "${path}".`, retryable: false });
    }
    return { uid: res.uid ?? null, uidValidity: res.uidValidity !== undefined ? Number(res.uidValidity) : null };
  }

  /**
   * MULTIAPPEND (RFC 3502): many messages in one command, stored by the server in one go, so no
   * round trip and no fsync per message. All or nothing: on NO nothing was stored and the caller
   * falls back to single APPENDs to find the message the server refuses. imapflow has no API for
   * it, so the command is built with imapflow's own command writer (exec), as its append() does.
   */
  async appendMany(path: string, messages: { raw: Buffer; flags: string[]; internalDate: Date | null }[]): Promise<{ uids: number[] | null; uidValidity: number | null }> {
    const attributes: unknown[] = [{ type: 'STRING', value: encodeMailboxName(path) }];
    const binary = this.hasCapability('BINARY');
    for (const m of messages) {
      attributes.push(m.flags.map((f) => ({ type: 'ATOM', value: f })));
      if (m.internalDate) attributes.push({ type: 'STRING', value: imapDateTime(m.internalDate) });
      attributes.push({ type: 'LITERAL', value: m.raw, isLiteral8: binary && m.raw.includes(0) });
    }
    const exec = (this.client as unknown as RawExec).exec.bind(this.client);
    const response = await this.run(`storing ${messages.length} messages in "${path}"`, () => exec('APPEND', attributes, {}));
    const section = response.response?.attributes?.[0]?.section;
    response.next();
    if (section && String(section[0]?.value).toUpperCase() === 'APPENDUID') {
      const uids = expandUidSet(String(section[2]?.value ?? ''));
      const uidValidity = Number(section[1]?.value);
      if (uids && uids.length === messages.length) return { uids, uidValidity: Number.isFinite(uidValidity) ? uidValidity : null };
    }
    return { uids: null, uidValidity: null };
  }

  /** Replaces (or adds to) the flags of one message in the currently opened (read-write) folder. */
  async setFlags(uid: number, flags: string[], mode: 'replace' | 'add' = 'replace'): Promise<void> {
    const ok = await this.run('updating flags', () =>
      mode === 'add' ? this.client.messageFlagsAdd(String(uid), flags, { uid: true, silent: true }) : this.client.messageFlagsSet(String(uid), flags, { uid: true, silent: true }),
    );
    if (!ok && flags.length > 0) {
      throw new CutoverError({ code: 'server-refused', message: `The target refused to update the flags of message ${uid}.`, retryable: false });
    }
  }

  /**
   * Keep in step: waits with IDLE on the open folder until the server announces more messages
   * (EXISTS grew), `maxMs` passes or `signal` fires, then ends IDLE so the connection can be used
   * again. A connection that breaks meanwhile fails like any command (retryable). Only looks: IDLE
   * changes nothing on the server.
   */
  async waitForNew(maxMs: number, signal: AbortSignal): Promise<'new' | 'quiet'> {
    let done: (r: 'new' | 'quiet' | 'closed') => void = () => undefined;
    const outcome = new Promise<'new' | 'quiet' | 'closed'>((resolve) => (done = resolve));
    const onExists = (d: { count: number; prevCount: number }): void => {
      if (d.count > d.prevCount) done('new');
    };
    const onClose = (): void => done('closed');
    const onAbort = (): void => done('quiet');
    const timer = setTimeout(() => done('quiet'), maxMs);
    this.client.on('exists', onExists);
    this.client.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal.aborted || this.closed) return signal.aborted ? 'quiet' : this.lostWhile('waiting for new mail');
      // idle() returns when IDLE ends (a command breaks it, or the connection closes).
      const idling = this.client.idle().then(
        () => 'ended' as const,
        () => 'ended' as const,
      );
      const first = await Promise.race([outcome, idling]);
      if (first === 'closed' || !this.isUsable) return this.lostWhile('waiting for new mail');
      // Any command ends IDLE (imapflow sends DONE first); NOOP also collects what the server queued.
      await this.run('ending IDLE', () => this.client.noop());
      await idling;
      return first === 'new' ? 'new' : 'quiet';
    } finally {
      clearTimeout(timer);
      this.client.off('exists', onExists);
      this.client.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private lostWhile(doing: string): never {
    throw this.failure(this.lastError ?? Object.assign(new Error('Connection closed'), { code: 'NoConnection' }), doing);
  }

  async logout(): Promise<void> {
    if (this.closed) return;
    try {
      await this.client.logout();
    } catch {
      this.client.close();
    }
  }

  close(): void {
    this.client.close();
  }

  /**
   * The reason a command failed. When imapflow closed the connection itself (a size limit, a
   * parse failure), the command only sees "connection closed"; the real cause came through the
   * 'error' event, so that one is reported.
   */
  private failure(err: unknown, doing: string): CutoverError {
    const closed = typeof (err as { code?: unknown })?.code === 'string' && ['NoConnection', 'EConnectionClosed'].includes((err as { code: string }).code);
    return toCutoverError((closed || !err) && this.lastError ? this.lastError : err, this.account, doing);
  }

  private async run<T>(doing: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      throw this.failure(err, doing);
    }
  }

  // --- Added for one-writer-per-pair, the copy plan and removing extra copies (engineer "trust"). ---

  /** UID and size of messages (no envelope): cheap enough to plan a whole mailbox before copying. */
  async *fetchSizes(uidRange: string): AsyncGenerator<{ uid: number; size: number }> {
    try {
      for await (const msg of this.client.fetch(uidRange, { uid: true, size: true }, { uid: true })) {
        yield { uid: msg.uid, size: msg.size ?? 0 };
      }
    } catch (err) {
      throw toCutoverError(err, this.account, 'reading message sizes');
    }
  }

  /**
   * Removes exactly these messages from the open (read-write) folder: UID STORE +FLAGS (\Deleted),
   * then UID EXPUNGE of the same UIDs (RFC 4315). Without UIDPLUS, EXPUNGE would also remove any
   * other message marked \Deleted, so nothing is done and the server's lack is reported.
   */
  async removeMessages(uids: number[]): Promise<void> {
    if (uids.length === 0) return;
    if (!this.hasCapability('UIDPLUS')) {
      throw new CutoverError({ code: 'server-refused', message: 'The target cannot remove single messages safely (no UIDPLUS).', retryable: false });
    }
    const ok = await this.run('removing messages', () => this.client.messageDelete(uids.join(','), { uid: true }));
    if (!ok) throw new CutoverError({ code: 'server-refused', message: 'The target refused to remove the messages.', retryable: false });
  }
}

/** The slice of imapflow's internal command writer that appendMany uses. */
interface RawExec {
  exec(
    command: string,
    attributes: unknown[],
    options: object,
  ): Promise<{ response?: { attributes?: { section?: { value?: unknown }[] }[] }; next: () => void }>;
}

function metaOf(msg: FetchMessageObject): MessageMeta {
  const env = msg.envelope;
  const from = env?.from?.[0];
  const date = env?.date;
  return {
    uid: msg.uid,
    size: msg.size ?? 0,
    internalDate: msg.internalDate instanceof Date ? msg.internalDate : msg.internalDate ? new Date(msg.internalDate) : null,
    flags: msg.flags ?? new Set(),
    messageId: env?.messageId?.trim() || null,
    subject: env?.subject ?? '',
    from: from ? (from.address ?? from.name ?? '') : '',
    date: date instanceof Date ? (Number.isNaN(date.getTime()) ? null : date.toISOString()) : typeof date === 'string' ? date : null,
  };
}
