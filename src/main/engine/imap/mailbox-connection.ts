import type { AccountLabel } from './imap-errors.js';
import type { ImapConnection } from './imap-connection.js';
import { COMPARE_HEADERS, HeaderFacts } from './header-facts.js';
import { CompareFactsCollector, COMPARE_ITEMS, MetaCollector, META_ITEMS, SizesCollector, SIZE_ITEMS } from './wire/fetch-meta.js';
import type { WireResponse } from './wire/response-reader.js';
import { throwUnlessFetched, type WireSession } from './wire/wire-session.js';
import { metaOf, type FolderListing, type MessageMeta, type OpenedFolder } from './imap-types.js';

/** A UID set goes into a command as it is: digits, ":", "," and "*", nothing else. */
const UID_SET = /^[\d:,*]+$/;

function notA(what: string, given: string): Promise<never> {
  return Promise.reject(new RangeError(`not a ${what}: ${given.slice(0, 40)}`));
}

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
    if (!UID_SET.test(uidRange)) return notA('UID set', uidRange);
    return this.connection.spoken(
      'reading message details',
      // Spoken directly (imap/wire/fetch-meta.ts): the same facts, without imapflow's generic parser.
      async (session) => {
        const page = new MetaCollector();
        await MailboxConnection.fetchOnWire(session, uidRange, META_ITEMS, (response) => page.add(response));
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
   * `UID FETCH <uidSet> <items>` spoken on the socket (wire/wire-session.ts), every response handed
   * to `collect`; fails as a FETCH fails (throwUnlessFetched). `uidSet` must have been checked.
   */
  private static async fetchOnWire(session: WireSession, uidSet: string, items: string, collect: (response: WireResponse) => void): Promise<void> {
    const command = Buffer.from(`UID FETCH ${uidSet} ${items}`, 'latin1');
    throwUnlessFetched(await session.command([{ text: command }], false, collect));
  }

  /**
   * The open folder's messages as UID ranges of about `per` messages each, in UID order, that
   * together cover every UID (the last one ends in "*"): one `FETCH per,2·per,… (UID)` by sequence
   * number names the UID at each boundary. A message expunged meanwhile by another client only
   * makes a range hold one less; none is ever left out or read twice.
   */
  async uidRanges(exists: number, per: number): Promise<string[]> {
    if (!Number.isInteger(per) || per < 1) throw new RangeError('a page must hold a whole number of messages, at least one');
    const marks: number[] = [];
    for (let seq = per; seq < exists; seq += per) marks.push(seq);
    const asked = new Set(marks);
    const bounds: number[] = [];
    if (marks.length > 0) {
      try {
        for await (const msg of this.connection.client.fetch(marks.join(','), { uid: true })) {
          // Only the answers asked for: a server may add a FETCH of its own (another client changed
          // a message's flags), which names no UID or another message.
          if (asked.has(msg.seq) && Number.isSafeInteger(msg.uid) && msg.uid > 0) bounds.push(msg.uid);
        }
      } catch (err) {
        throw this.connection.failure(err, 'reading message details');
      }
    }
    bounds.sort((a, b) => a - b);
    const ranges: string[] = [];
    let from = 1;
    for (const uid of bounds) {
      if (uid < from) continue;
      ranges.push(`${from}:${uid}`);
      from = uid + 1;
    }
    ranges.push(`${from}:*`);
    return ranges;
  }

  /**
   * compareFacts of one UID range, collected: spoken on the socket where it can be taken (the same
   * facts as through imapflow, without its generic parser; wire/fetch-meta.ts), else through
   * imapflow. Only messages inside the range: "n:*" names the last message even when its UID is
   * below n (RFC 3501 6.4.8), and that one belongs to the range before.
   */
  compareFactsPage(uidRange: string): Promise<MessageMeta[]> {
    const range = /^(\d+):(\d+|\*)$/.exec(uidRange);
    if (!range) return notA('UID range', uidRange);
    const low = Number(range[1]);
    const high = range[2] === '*' ? Infinity : Number(range[2]);
    const inRange = (m: MessageMeta): boolean => m.uid >= low && m.uid <= high;
    return this.connection.spoken(
      'reading message details',
      async (session) => {
        const page = new CompareFactsCollector();
        await MailboxConnection.fetchOnWire(session, uidRange, COMPARE_ITEMS, (response) => page.add(response));
        return page.facts().filter(inRange);
      },
      async () => {
        // One entry per UID, the one with the facts: imapflow lists a FETCH the server adds of its
        // own (a flag change by another client) as a message of its own, without size or headers.
        const byUid = new Map<number, MessageMeta>();
        for await (const m of this.fetchCompareFacts(uidRange)) if (inRange(m) && (m.size > 0 || !byUid.has(m.uid))) byUid.set(m.uid, m);
        return [...byUid.values()];
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

  /**
   * UID → size of the open folder's messages in a UID range (no envelope): cheap enough to plan a
   * whole mailbox before copying. Spoken on the socket where it can be taken (10,000 messages read
   * through imapflow's generic parser cost ~0.1 s of CPU, paid twice per folder and in series with
   * nothing else), else through imapflow.
   */
  sizesOf(uidRange: string): Promise<Map<number, number>> {
    if (!UID_SET.test(uidRange)) return notA('UID set', uidRange);
    return this.connection.spoken(
      'reading message sizes',
      async (session) => {
        const read = new SizesCollector();
        await MailboxConnection.fetchOnWire(session, uidRange, SIZE_ITEMS, (response) => read.add(response));
        return read.sizes;
      },
      async () => {
        // As SizesCollector reads them: a response without UID is not a message of the range, and
        // one without size (a flag change the server adds) does not replace the size read.
        const sizes = new Map<number, number>();
        try {
          for await (const msg of this.connection.client.fetch(uidRange, { uid: true, size: true }, { uid: true })) {
            if (!(msg.uid > 0)) continue;
            if (msg.size !== undefined || !sizes.has(msg.uid)) sizes.set(msg.uid, msg.size ?? 0);
          }
        } catch (err) {
          throw this.connection.failure(err, 'reading message sizes');
        }
        return sizes;
      },
    );
  }

  logout(): Promise<void> {
    return this.connection.logout();
  }

  close(): void {
    this.connection.close();
  }
}
