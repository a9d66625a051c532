import type { AccountLabel } from './imap-errors.js';
import type { ImapConnection } from './imap-connection.js';
import { COMPARE_HEADERS, HeaderFacts } from './header-facts.js';
import { MetaCollector, META_ITEMS } from './wire/fetch-meta.js';
import { throwUnlessFetched } from './wire/wire-session.js';
import { metaOf, type FolderListing, type MessageMeta, type OpenedFolder } from './imap-types.js';

/**
 * What every use of a mailbox may do, because none of it can change anything there: list folders,
 * EXAMINE one, and fetch message facts (envelope, flags, sizes; never a body, so never \Seen).
 * SourceReader adds reading bodies; TargetWriter adds SELECT and the commands that write.
 */
export abstract class MailboxConnection {
  protected constructor(protected readonly connection: ImapConnection) {}

  get account(): AccountLabel {
    return this.connection.account;
  }

  get isUsable(): boolean {
    return this.connection.isUsable;
  }

  hasCapability(name: string): boolean {
    return this.connection.hasCapability(name);
  }

  /** The personal namespace prefix and delimiter (e.g. "INBOX." on Courier-style servers). */
  get personalNamespace(): { prefix: string; delimiter: string } {
    return this.connection.personalNamespace;
  }

  listFolders(withStatus: boolean): Promise<FolderListing[]> {
    return this.connection.listFolders(withStatus);
  }

  /** EXAMINE: opens a folder read-only, so nothing in it can change while it is read. */
  examine(path: string): Promise<OpenedFolder> {
    return this.connection.openFolder(path, 'examine');
  }

  /** Envelope-level facts of messages in the open folder (never bodies), for matching and comparison. */
  async *fetchMeta(uidRange: string, changedSince?: string): AsyncGenerator<MessageMeta> {
    const options = changedSince ? { uid: true, changedSince: BigInt(changedSince) } : { uid: true };
    try {
      for await (const msg of this.connection.client.fetch(uidRange, { uid: true, flags: true, size: true, internalDate: true, envelope: true }, options)) {
        yield metaOf(msg);
      }
    } catch (err) {
      throw this.connection.failure(err, 'reading message details');
    }
  }

  /**
   * fetchMeta of a range, collected, in its turn with the connection's other `exclusive` calls: a
   * copy reads the next page's envelopes while it downloads bodies on the same connection, and a
   * body read waits for it rather than falling back to imapflow.
   */
  metaPage(uidRange: string): Promise<MessageMeta[]> {
    // Goes into a command as it is: a UID set, nothing else.
    if (!/^[\d:,*]+$/.test(uidRange)) return Promise.reject(new RangeError(`not a UID set: ${uidRange.slice(0, 40)}`));
    return this.connection.spoken(
      'reading message details',
      // Spoken directly (imap/wire/fetch-meta.ts): the same facts, without imapflow's generic parser.
      async (session) => {
        const page = new MetaCollector();
        const command = Buffer.from(`UID FETCH ${uidRange} ${META_ITEMS}`, 'latin1');
        throwUnlessFetched(await session.command([{ text: command }], false, (response) => page.add(response)));
        return page.metas();
      },
      async () => {
        const out: MessageMeta[] = [];
        for await (const m of this.fetchMeta(uidRange)) out.push(m);
        return out;
      },
    );
  }

  /**
   * What a comparison needs of each message (UID, size, flags, Message-ID, Date, From, Subject),
   * read from four header lines rather than the ENVELOPE (see header-facts.ts). BODY.PEEK: \Seen
   * is never set.
   */
  async *fetchCompareFacts(uidRange: string): AsyncGenerator<MessageMeta> {
    try {
      for await (const msg of this.connection.client.fetch(uidRange, { uid: true, flags: true, size: true, headers: [...COMPARE_HEADERS] }, { uid: true })) {
        yield new HeaderFacts(msg.uid, msg.size ?? 0, msg.flags ?? new Set(), msg.headers);
      }
    } catch (err) {
      throw this.connection.failure(err, 'reading message details');
    }
  }

  /** Only the flags (cheap), for carrying flag changes over; CHANGEDSINCE narrows it (CONDSTORE). */
  async *fetchFlags(uidRange: string, changedSince?: string): AsyncGenerator<{ uid: number; flags: Set<string> }> {
    const options = changedSince ? { uid: true, changedSince: BigInt(changedSince) } : { uid: true };
    try {
      for await (const msg of this.connection.client.fetch(uidRange, { uid: true, flags: true }, options)) {
        yield { uid: msg.uid, flags: msg.flags ?? new Set() };
      }
    } catch (err) {
      throw this.connection.failure(err, 'reading flags');
    }
  }

  /** UID and size of messages (no envelope): cheap enough to plan a whole mailbox before copying. */
  async *fetchSizes(uidRange: string): AsyncGenerator<{ uid: number; size: number }> {
    try {
      for await (const msg of this.connection.client.fetch(uidRange, { uid: true, size: true }, { uid: true })) {
        yield { uid: msg.uid, size: msg.size ?? 0 };
      }
    } catch (err) {
      throw this.connection.failure(err, 'reading message sizes');
    }
  }

  logout(): Promise<void> {
    return this.connection.logout();
  }

  close(): void {
    this.connection.close();
  }
}
