import type { Writable } from 'node:stream';
import { paceLargeWrites, WRITE_PIECE } from './paced-socket.js';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { ImapFlow, type ImapFlowOptions, type ListResponse } from 'imapflow';
import type { CutoverError } from '../../../shared/errors.js';
import { describeEndpoint, type ImapEndpoint } from '../../../shared/imap-endpoint.js';
import { loadCaFile } from '../net/ca-file.js';
import { asciiHost } from '../net/host-name.js';
import { connectExplained } from './connect-explained.js';
import { toCutoverError, type AccountLabel } from './imap-errors.js';
import { WireSession } from './wire/wire-session.js';
import type { FolderListing, OpenedFolder } from './imap-types.js';

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
  /** imapflow's own cap on one literal (a message body). */
  maxLiteralBytes: 1024 * 1024 * 1024,
} as const;

export interface ConnectOptions {
  role: 'source' | 'target';
  /** Extra certificate authority to trust (PEM file), on top of the system's. */
  caFile?: string;
  /** Milliseconds of silence before a connection counts as dead. */
  socketTimeoutMs?: number;
}

export type ImapCredentials = { password: string } | { accessToken: string };

/** The size of a wire session's writes (paced-socket.ts takes larger ones in pieces of this size too). */
const WIRE_STAGING_BYTES = WRITE_PIECE;

/**
 * The TLS context that trusts Node's root authorities and one extra CA, made once per CA (a sync
 * opens one connection per lane, and more after reconnects).
 *
 * Built as the default context plus the CA (`addCACert`, which copies Node's already parsed root
 * store and adds to it) rather than from `ca: [...rootCertificates, pem]`, which parses all ~140
 * root certificates from PEM again: 45 ms, a tenth of a no-op rerun, against 2 ms.
 */
const contexts = new Map<string, SecureContext>();

interface NativeContext {
  addCACert?: (pem: string) => void;
}

function trustingAlso(caPem: string): SecureContext {
  let context = contexts.get(caPem);
  if (!context) {
    context = createSecureContext({ minVersion: 'TLSv1.2' });
    const native = (context as SecureContext & { context?: NativeContext }).context;
    if (typeof native?.addCACert === 'function') native.addCACert(caPem);
    else context = createSecureContext({ ca: [...rootCertificates, caPem], minVersion: 'TLSv1.2' });
    contexts.set(caPem, context);
  }
  return context;
}

/**
 * One IMAP connection: connecting, the server's capabilities and folders, and turning every
 * failure into a CutoverError naming the account. Only imap/ uses it directly: the rest of the
 * engine gets a SourceReader (which cannot write) or a TargetWriter built on one.
 */
export class ImapConnection {
  readonly account: AccountLabel;
  readonly client: ImapFlow;
  private lastError: unknown = null;
  private closed = false;
  /** Where a wire session gathers what it writes (see WireSession.put), one per connection, made on first use. */
  private staging: Buffer | null = null;
  /** The end of the last call made through `exclusive` (see there). */
  private queue: Promise<unknown> = Promise.resolve();

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

  static async connect(endpoint: ImapEndpoint, credentials: ImapCredentials, options: ConnectOptions): Promise<ImapConnection> {
    const account: AccountLabel = { role: options.role, display: describeEndpoint(endpoint) };
    // Before any socket: a bad CA file or host name is the user's input, not the server's fault.
    const host = asciiHost(endpoint.host);
    const secureContext = options.caFile ? trustingAlso(loadCaFile(options.caFile)) : undefined;
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
        ...(secureContext ? { secureContext } : {}),
        ...(isIP(host) ? {} : { servername: host }),
      },
    };
    const client = new ImapFlow(imapOptions);
    const connection = new ImapConnection(client, account);
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
    const socket = (client as unknown as { socket?: Writable }).socket;
    if (socket) paceLargeWrites(socket);
    return connection;
  }

  get isUsable(): boolean {
    return !this.closed && this.client.usable;
  }

  /**
   * Runs `action` once every earlier `exclusive` call on this connection has ended. Every call
   * that may take the socket over (`spoken`) or run beside one (a body read while the next batch
   * downloads) goes through here: imapflow queues its own commands, but knows nothing of a
   * command spoken on the socket directly.
   */
  exclusive<T>(action: () => Promise<T>): Promise<T> {
    const result = this.queue.then(action);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `direct` on the socket spoken directly (wire/wire-session.ts), in its turn (`exclusive`),
   * the session given back afterwards and a failure worded as `doing`; or `throughImapflow` when
   * imapflow cannot hand the socket over just now (COMPRESS is on, or it is busy).
   */
  spoken<T>(doing: string, direct: (session: WireSession) => Promise<T>, throughImapflow: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      if (this.closed) return throughImapflow();
      this.staging ??= Buffer.allocUnsafeSlow(WIRE_STAGING_BYTES);
      const session = WireSession.take(this.client, this.staging, {
        maxLineBytes: IMAP_LIMITS.maxLineBytes,
        maxLiteralBytes: IMAP_LIMITS.maxLiteralBytes,
        maxLiterals: IMAP_LIMITS.maxResponseTokens,
        maxResponseBytes: 2 * IMAP_LIMITS.maxLiteralBytes,
      });
      if (!session) return throughImapflow();
      try {
        return await direct(session);
      } catch (err) {
        throw this.failure(err, doing);
      } finally {
        session.release();
      }
    });
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

  /** EXAMINE (read-only: nothing in the folder can change) or SELECT (read-write). */
  async openFolder(path: string, access: 'examine' | 'select'): Promise<OpenedFolder> {
    const box = await this.run(`opening folder "${path}"`, () => this.client.mailboxOpen(path, { readOnly: access === 'examine' }));
    return {
      path: box.path,
      uidValidity: Number(box.uidValidity),
      uidNext: box.uidNext,
      exists: box.exists,
      highestModseq: box.highestModseq !== undefined && !box.noModseq ? box.highestModseq.toString() : null,
      permanentFlags: box.permanentFlags ?? new Set(),
    };
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
  failure(err: unknown, doing: string): CutoverError {
    const closed = typeof (err as { code?: unknown })?.code === 'string' && ['NoConnection', 'EConnectionClosed'].includes((err as { code: string }).code);
    return toCutoverError((closed || !err) && this.lastError ? this.lastError : err, this.account, doing);
  }

  async run<T>(doing: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      throw this.failure(err, doing);
    }
  }
}
