import compiler from 'imapflow/lib/handler/imap-compiler.js';
import { encodePath, expandRange, formatDateTime, formatFlag, normalizePath } from 'imapflow/lib/tools.js';
import { CutoverError } from '../../../shared/errors.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import { ImapConnection, type ConnectOptions, type ImapCredentials } from './imap-connection.js';
import type { MessageToAppend, OpenedFolder } from './imap-types.js';
import { MailboxConnection } from './mailbox-connection.js';
import { refusalOf, type CommandPart, type TaggedResult } from './wire/wire-session.js';
import { bytesInclude, joinBytes } from '../mail/message-bytes.js';

/**
 * The new mailbox, the only side Cutover writes to: SELECT, CREATE, APPEND and MULTIAPPEND, flag
 * STOREs, and removing exactly the extra copies a person confirmed. It reads what it needs to
 * find earlier copies (envelopes, flags) like any MailboxConnection.
 */
export class TargetWriter extends MailboxConnection {
  /** The `APPEND <folder>` text per folder (see textOf). */
  private readonly appendHeads = new Map<string, Buffer>();

  private constructor(connection: ImapConnection) {
    super(connection);
  }

  static async connect(endpoint: ImapEndpoint, credentials: ImapCredentials, options: Omit<ConnectOptions, 'role'>): Promise<TargetWriter> {
    return new TargetWriter(await ImapConnection.connect(endpoint, credentials, { ...options, role: 'target' }));
  }

  /** SELECT: opens a folder read-write (its PERMANENTFLAGS say which flags it keeps). */
  select(path: string): Promise<OpenedFolder> {
    return this.connection.openFolder(path, 'select');
  }

  async createFolder(segments: string[]): Promise<void> {
    await this.connection.run(`creating folder "${segments.join('/')}"`, () => this.connection.client.mailboxCreate(segments));
  }

  /**
   * One APPEND per message, all sent before the first answer where the server has LITERAL+ (no
   * round trip per message, which over the internet is most of a small message's time), else one
   * after another. Each message's outcome is its own: stored (with its UID under UIDPLUS), refused
   * with the server's reason, or not answered (the connection was lost, or the server asked to slow
   * down: a retryable error). Every answer that came is returned, so what was stored is recorded
   * before anything is retried.
   */
  appendEach(path: string, messages: readonly MessageToAppend[]): Promise<AppendOutcome[]> {
    const doing = `storing a message in "${path}"`;
    return this.connection.spoken(
      doing,
      async (session) => {
        const plus = this.hasCapability('LITERAL+');
        const sent = messages.map((m) => session.command([this.textOf(path), ...this.groupOf(m)], plus));
        return (await Promise.allSettled(sent)).map((settled): AppendOutcome => {
          if (settled.status === 'rejected') return { stored: false, error: this.connection.failure(settled.reason, doing) };
          const result = settled.value;
          if (result.status !== 'OK') return { stored: false, error: this.connection.failure(refusalOf(result), doing) };
          const uid = appendUid(result, 1);
          return { stored: true, uid: uid?.uids[0] ?? null, uidValidity: uid?.uidValidity ?? null };
        });
      },
      () => this.appendEachThroughImapflow(path, messages),
    );
  }

  /**
   * MULTIAPPEND (RFC 3502): many messages in one command, stored by the server in one go, so no
   * round trip and no fsync per message. All or nothing: on NO nothing was stored and the caller
   * falls back to single APPENDs to find the message the server refuses. The folder name goes out
   * through imapflow's own encoders (modified UTF-7, or UTF-8 once the server accepted
   * UTF8=ACCEPT, RFC 6855, which imapflow enables whenever the server offers it).
   */
  appendMany(path: string, messages: readonly MessageToAppend[]): Promise<{ uids: number[] | null; uidValidity: number | null }> {
    return this.connection.spoken(
      `storing ${messages.length} messages in "${path}"`,
      async (session) => {
        const parts: CommandPart[] = [this.textOf(path)];
        for (const m of messages) parts.push(...this.groupOf(m));
        const result = await session.command(parts, this.hasCapability('LITERAL+'));
        if (result.status !== 'OK') throw refusalOf(result);
        return appendUid(result, messages.length) ?? { uids: null, uidValidity: null };
      },
      () => this.appendManyThroughImapflow(path, messages),
    );
  }

  /** `APPEND <folder>` as imapflow would write it (its compiler quotes and encodes the name), once per folder. */
  private textOf(path: string): CommandPart {
    let text = this.appendHeads.get(path);
    if (!text) {
      text = Buffer.concat([Buffer.from('APPEND '), compiler({ attributes: [mailboxArgument(this.connection.client, path)] })]);
      this.appendHeads.set(path, text);
    }
    return { text };
  }

  /**
   * ` (flags) "date" ` and the message as a literal (a BINARY one when it holds a NUL and the server
   * has BINARY). Written out directly, per message: the flags are atoms (appendableFlags) and the
   * date is imapflow's own format (digits, letters, spaces, ":" and "+"/"-"), so nothing needs quoting
   * beyond the date's quotes.
   */
  private groupOf(m: MessageToAppend): CommandPart[] {
    const date = m.internalDate ? ` "${formatDateTime(m.internalDate)}"` : '';
    const binary = this.hasCapability('BINARY') && bytesInclude(m.parts, 0);
    return [
      { text: Buffer.from(` (${appendableFlags(m.flags).join(' ')})${date} `, 'latin1') },
      { literal: m.parts, size: m.size, binary },
    ];
  }

  private async appendEachThroughImapflow(path: string, messages: readonly MessageToAppend[]): Promise<AppendOutcome[]> {
    const { client } = this.connection;
    const outcomes: AppendOutcome[] = [];
    for (const m of messages) {
      try {
        const res = await this.connection.run(`storing a message in "${path}"`, () => client.append(path, joinBytes(m.parts), m.flags, m.internalDate ?? undefined));
        if (res === false) {
          outcomes.push({ stored: false, error: new CutoverError({ code: 'message-refused', message: `The target refused a message in "${path}".`, retryable: false }) });
        } else {
          outcomes.push({ stored: true, uid: res.uid ?? null, uidValidity: res.uidValidity !== undefined ? Number(res.uidValidity) : null });
        }
      } catch (err) {
        if (!(err instanceof CutoverError)) throw err;
        outcomes.push({ stored: false, error: err });
        // Lost or throttled: the rest waits for the retry.
        if (err.retryable) break;
      }
    }
    return outcomes;
  }

  /** MULTIAPPEND with imapflow's own command writer (exec), as its append() builds an APPEND. */
  private async appendManyThroughImapflow(path: string, messages: readonly MessageToAppend[]): Promise<{ uids: number[] | null; uidValidity: number | null }> {
    const { client } = this.connection;
    const binary = this.hasCapability('BINARY');
    const attributes: unknown[] = [mailboxArgument(client, path)];
    for (const m of messages) {
      const raw = joinBytes(m.parts);
      attributes.push(appendableFlags(m.flags).map((f) => ({ type: 'ATOM', value: f })));
      if (m.internalDate) attributes.push({ type: 'STRING', value: formatDateTime(m.internalDate) });
      attributes.push({ type: 'LITERAL', value: raw, isLiteral8: binary && raw.includes(0) });
    }
    const exec = (client as unknown as RawExec).exec.bind(client);
    const response = await this.connection.run(`storing ${messages.length} messages in "${path}"`, () => exec('APPEND', attributes, {}));
    const section = response.response?.attributes?.[0]?.section;
    response.next();
    if (section && String(section[0]?.value).toUpperCase() === 'APPENDUID') {
      const uids = expandRange(String(section[2]?.value ?? ''));
      const uidValidity = Number(section[1]?.value);
      if (uids.length === messages.length) return { uids, uidValidity: Number.isFinite(uidValidity) ? uidValidity : null };
    }
    return { uids: null, uidValidity: null };
  }

  /** UID STORE +FLAGS.SILENT on one message of the selected folder. */
  async addFlags(uid: number, flags: string[]): Promise<void> {
    await this.store(uid, flags, 'add');
  }

  /** UID STORE -FLAGS.SILENT on one message of the selected folder. */
  async removeFlags(uid: number, flags: string[]): Promise<void> {
    await this.store(uid, flags, 'remove');
  }

  /**
   * Removes exactly these messages from the selected folder: UID STORE +FLAGS (\Deleted), then
   * UID EXPUNGE of the same UIDs (RFC 4315). Without UIDPLUS, EXPUNGE would also remove any other
   * message marked \Deleted, so nothing is done and the server's lack is reported.
   */
  async removeMessages(uids: number[]): Promise<void> {
    if (uids.length === 0) return;
    if (!this.hasCapability('UIDPLUS')) {
      throw new CutoverError({ code: 'server-refused', message: 'The target cannot remove single messages safely (no UIDPLUS).', retryable: false });
    }
    const ok = await this.connection.run('removing messages', () => this.connection.client.messageDelete(uids.join(','), { uid: true }));
    if (!ok) throw new CutoverError({ code: 'server-refused', message: 'The target refused to remove the messages.', retryable: false });
  }

  private async store(uid: number, flags: string[], mode: 'add' | 'remove'): Promise<void> {
    if (flags.length === 0) return;
    const { client } = this.connection;
    const options = { uid: true, silent: true };
    const ok = await this.connection.run('updating flags', () => (mode === 'add' ? client.messageFlagsAdd(String(uid), flags, options) : client.messageFlagsRemove(String(uid), flags, options)));
    if (!ok) throw new CutoverError({ code: 'server-refused', message: `The target refused to update the flags of message ${uid}.`, retryable: false });
  }
}

/** The folder name as imapflow's own APPEND sends it: namespace-normalized, then encoded for this session. */
export function mailboxArgument(client: Parameters<typeof encodePath>[0], path: string): { type: 'ATOM'; value: string } {
  return { type: 'ATOM', value: encodePath(client, normalizePath(client, path)) };
}

/** The slice of imapflow's internal command writer that appendMany uses. */
interface RawExec {
  exec(
    command: string,
    attributes: unknown[],
    options: object,
  ): Promise<{ response?: { attributes?: { section?: { value?: unknown }[] }[] }; next: () => void }>;
}

/**
 * What became of one message of `appendEach`: stored, or not, with why. A retryable `error` (a
 * lost connection, throttling) is no verdict on the message; a non-retryable one is a refusal.
 * `appendEach` may return fewer outcomes than messages after a retryable error (the rest was not tried).
 */
export type AppendOutcome = { stored: true; uid: number | null; uidValidity: number | null } | { stored: false; error: CutoverError };

/**
 * Flags as imapflow's own APPEND sends them (formatFlag): system flags in their canonical case,
 * and no flag that is not an IMAP atom (a keyword with "]" or a non-ASCII letter), which a server
 * would refuse the whole APPEND for; such a flag is left off, the message is stored.
 */
function appendableFlags(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of flags) {
    const formatted = formatFlag(f);
    if (formatted) out.push(formatted);
  }
  return out;
}

/** The UIDs an APPEND's `[APPENDUID validity uids]` names, when they are one per message stored. */
function appendUid(result: TaggedResult, count: number): { uids: number[]; uidValidity: number | null } | null {
  if (result.code !== 'APPENDUID') return null;
  const [validity, set] = result.codeArguments.trim().split(/\s+/);
  const uids = expandRange(set ?? '');
  const uidValidity = Number(validity);
  if (uids.length !== count || uids.some((u) => !Number.isSafeInteger(u) || u <= 0)) return null;
  return { uids, uidValidity: Number.isSafeInteger(uidValidity) && uidValidity > 0 ? uidValidity : null };
}
