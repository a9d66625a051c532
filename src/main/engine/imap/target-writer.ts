import { encodePath, expandRange, formatDateTime, normalizePath } from 'imapflow/lib/tools.js';
import { CutoverError } from '../../../shared/errors.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import { ImapConnection, type ConnectOptions, type ImapCredentials } from './imap-connection.js';
import type { MessageToAppend, OpenedFolder } from './imap-types.js';
import { MailboxConnection } from './mailbox-connection.js';

/**
 * The new mailbox, the only side Cutover writes to: SELECT, CREATE, APPEND and MULTIAPPEND, flag
 * STOREs, and removing exactly the extra copies a person confirmed. It reads what it needs to
 * find earlier copies (envelopes, flags) like any MailboxConnection.
 */
export class TargetWriter extends MailboxConnection {
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

  /** APPEND; resolves the new UID when the server has UIDPLUS. A refusal is `message-refused`. */
  async append(path: string, message: MessageToAppend): Promise<{ uid: number | null; uidValidity: number | null }> {
    const { client } = this.connection;
    const res = await this.connection.run(`storing a message in "${path}"`, () => client.append(path, message.raw, message.flags, message.internalDate ?? undefined));
    if (res === false) {
      throw new CutoverError({ code: 'message-refused', message: `The target refused a message in "${path}".`, retryable: false });
    }
    return { uid: res.uid ?? null, uidValidity: res.uidValidity !== undefined ? Number(res.uidValidity) : null };
  }

  /**
   * MULTIAPPEND (RFC 3502): many messages in one command, stored by the server in one go, so no
   * round trip and no fsync per message. All or nothing: on NO nothing was stored and the caller
   * falls back to single APPENDs to find the message the server refuses. imapflow has no API for
   * it, so the command is built with imapflow's own command writer (exec) and its own encoders, as
   * its append() does: the folder name goes out in modified UTF-7, or as UTF-8 once the server
   * accepted UTF8=ACCEPT (RFC 6855), which imapflow enables whenever the server offers it.
   */
  async appendMany(path: string, messages: MessageToAppend[]): Promise<{ uids: number[] | null; uidValidity: number | null }> {
    const { client } = this.connection;
    const binary = this.hasCapability('BINARY');
    const attributes: unknown[] = [mailboxArgument(client, path)];
    for (const m of messages) {
      attributes.push(m.flags.map((f) => ({ type: 'ATOM', value: f })));
      if (m.internalDate) attributes.push({ type: 'STRING', value: formatDateTime(m.internalDate) });
      attributes.push({ type: 'LITERAL', value: m.raw, isLiteral8: binary && m.raw.includes(0) });
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
