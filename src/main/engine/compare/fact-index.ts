import type { DuplicateMessage, FolderComparison, MissingMessage } from '../../../shared/compare-types.js';
import { CutoverError } from '../../../shared/errors.js';
import { decodeSubjectAndFrom, HeaderFacts } from '../imap/header-facts.js';
import type { MessageMeta } from '../imap/imap-types.js';
import { compareKey, type MatchMode } from '../mail/fingerprint.js';
import { flagsToText, isSystemFlag } from '../mail/message-flags.js';
import { openScratchDatabase, type Db } from '../state/open-database.js';

export type Side = 'source' | 'target';

/**
 * One folder pair's facts while it is compared, in a scratch SQLite database (SQLite is the index):
 * pages of facts go in as both sides read them, the comparison is a few queries, and the folder's
 * rows go before the next folder's. Why not in memory: a side's facts were a list of objects
 * (≈ 400 B a message, both sides at once), which grows with the mailbox; here memory holds one page
 * per side and SQLite's small cache, whatever the folder's size (see state/open-database.ts,
 * openScratchDatabase).
 *
 * Matching is the same as it always was: the n-th source message with a key (compareKey) matches
 * the n-th target message with that key, both in UID order; a target message left over is a
 * duplicate when its key is on the source, else mail not from the source.
 */
export class FactIndex {
  private readonly db: Db;
  private readonly insert: ReturnType<Db['prepare']>;
  private readonly includeSize: boolean;

  constructor(private readonly mode: MatchMode) {
    this.includeSize = mode === 'exact';
    try {
      this.db = openScratchDatabase();
      this.db.exec(`
        CREATE TABLE fact (
          side INTEGER NOT NULL,      -- 0 source, 1 target
          uid INTEGER NOT NULL,
          key TEXT NOT NULL,
          flags TEXT NOT NULL,        -- the flags compared (comparableFlags)
          size INTEGER NOT NULL,
          message_id TEXT,
          date TEXT,
          subject TEXT NOT NULL,      -- as the header line holds it unless decoded (see add)
          sender TEXT NOT NULL,
          decoded INTEGER NOT NULL,   -- 1: subject and sender are decoded already
          nth INTEGER,                -- the message's place among its side's messages with its key, in UID order
          UNIQUE (side, uid)
        );
        CREATE INDEX fact_match ON fact (side, key, nth);`);
      // A UID read twice (a server that answers a message twice) counts once: the first answer stays.
      this.insert = this.db.prepare(
        `INSERT OR IGNORE INTO fact (side, uid, key, flags, size, message_id, date, subject, sender, decoded)
         VALUES (@side, @uid, @key, @flags, @size, @messageId, @date, @subject, @sender, @decoded)`,
      );
    } catch (err) {
      throw indexFailure(err);
    }
  }

  /** One page of one side's facts, in one transaction. */
  add(side: Side, page: readonly MessageMeta[]): void {
    const s = side === 'source' ? 0 : 1;
    const insertPage = this.db.transaction(() => {
      for (const m of page) {
        // Subject and From of four header lines are decoded when read (HeaderFacts), and only a
        // message without Message-ID needs them for its key: the others keep them as they came,
        // decoded only if the message is reported.
        const raw = m instanceof HeaderFacts && m.messageId ? m.raw : null;
        this.insert.run({
          side: s,
          uid: m.uid,
          key: compareKey(m, this.includeSize),
          flags: comparableFlags(m.flags, this.mode),
          size: m.size,
          messageId: m.messageId,
          date: m.date,
          subject: raw ? raw.subject : m.subject,
          sender: raw ? raw.from : m.from,
          decoded: raw ? 0 : 1,
        });
      }
    });
    try {
      insertPage();
    } catch (err) {
      throw indexFailure(err);
    }
  }

  /** The comparison of what was added; the rows are cleared for the next folder. */
  compare(source: string, target: string): FolderComparison {
    try {
      return { source, target, leftOut: false, ...this.totals(), ...this.matches() };
    } catch (err) {
      throw indexFailure(err);
    } finally {
      this.clear();
    }
  }

  /** Forgets the folder's rows (after its comparison, or when it was given up). */
  clear(): void {
    if (this.db.open) this.db.exec('DELETE FROM fact');
  }

  close(): void {
    this.db.close();
  }

  private totals(): Pick<FolderComparison, 'sourceCount' | 'targetCount' | 'sourceBytes' | 'targetBytes'> {
    const rows = this.db.prepare('SELECT side, count(*) AS n, coalesce(sum(size), 0) AS bytes FROM fact GROUP BY side').all() as { side: number; n: number; bytes: number }[];
    const of = (side: number): { n: number; bytes: number } => rows.find((r) => r.side === side) ?? { n: 0, bytes: 0 };
    return { sourceCount: of(0).n, targetCount: of(1).n, sourceBytes: of(0).bytes, targetBytes: of(1).bytes };
  }

  private matches(): Pick<FolderComparison, 'missing' | 'duplicates' | 'extraOnTarget' | 'flagMismatches'> {
    const { db } = this;
    db.exec(`
      UPDATE fact SET nth = r.nth
        FROM (SELECT rowid AS id, row_number() OVER (PARTITION BY side, key ORDER BY uid) AS nth FROM fact) AS r
       WHERE fact.rowid = r.id`);
    const missingRows = db
      .prepare(
        `SELECT uid, message_id AS messageId, subject, sender, decoded, date, size FROM fact AS s
          WHERE side = 0 AND NOT EXISTS (SELECT 1 FROM fact AS t WHERE t.side = 1 AND t.key = s.key AND t.nth = s.nth)
          ORDER BY uid`,
      )
      .all() as (ReportedRow & { uid: number; size: number })[];
    const missing: MissingMessage[] = missingRows.map((r) => {
      const { subject, from } = reported(r);
      return { uid: r.uid, messageId: r.messageId, subject, date: r.date, from, size: r.size };
    });
    const { n: flagMismatches } = db
      .prepare(`SELECT count(*) AS n FROM fact AS s JOIN fact AS t ON t.side = 1 AND t.key = s.key AND t.nth = s.nth WHERE s.side = 0 AND s.flags <> t.flags`)
      .get() as { n: number };
    // Target messages whose key the source does not have at all: counted, never listed (there may be a whole mailbox of them).
    const { n: extraOnTarget } = db
      .prepare(`SELECT count(*) AS n FROM fact AS t WHERE side = 1 AND NOT EXISTS (SELECT 1 FROM fact AS s WHERE s.side = 0 AND s.key = t.key)`)
      .get() as { n: number };
    // Keys the source has that the target has more often, with the source's first message of the
    // key, in the order the target first has them.
    const duplicateRows = db
      .prepare(
        `SELECT k.copies, s.message_id AS messageId, s.subject, s.sender, s.decoded, s.date
           FROM (SELECT key, sum(side = 1) - sum(side = 0) AS copies, min(CASE WHEN side = 1 THEN uid END) AS firstOnTarget
                   FROM fact GROUP BY key HAVING sum(side = 0) > 0 AND sum(side = 1) > sum(side = 0)) AS k
           JOIN fact AS s ON s.side = 0 AND s.key = k.key AND s.nth = 1
          ORDER BY k.firstOnTarget`,
      )
      .all() as (ReportedRow & { copies: number })[];
    const duplicates: DuplicateMessage[] = duplicateRows.map((r) => ({ messageId: r.messageId, subject: reported(r).subject, date: r.date, copies: r.copies }));
    return { missing, duplicates, extraOnTarget, flagMismatches };
  }
}

interface ReportedRow {
  messageId: string | null;
  subject: string;
  sender: string;
  decoded: number;
  date: string | null;
}

/** Subject and From of a reported message, decoded now if they were stored as the header held them. */
function reported(r: ReportedRow): { subject: string; from: string } {
  return r.decoded ? { subject: r.subject, from: r.sender } : decodeSubjectAndFrom({ subject: r.subject, from: r.sender });
}

/** Exchange keeps only system flags (and $MDNSent), so only those are compared against it. */
function comparableFlags(flags: Set<string>, mode: MatchMode): string {
  const list = [...flags].filter((f) => mode === 'exact' || isSystemFlag(f));
  return flagsToText(list.filter((f) => f.toLowerCase() !== '$mdnsent'));
}

/** The index's own failure (SQLite: the temporary folder full or not writable), in words; SQLite's text stays in the cause. */
function indexFailure(err: unknown): CutoverError {
  if (err instanceof CutoverError) return err;
  return new CutoverError(
    { code: 'internal', message: 'The comparison could not keep its list of messages in a temporary file (is the disk with the temporary folder full?).', retryable: true },
    { cause: err },
  );
}
