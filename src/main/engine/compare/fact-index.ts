import type { DuplicateMessage, FolderComparison, MissingMessage } from '../../../shared/compare-types.js';
import { decodeSubjectAndFrom, HeaderFacts } from '../imap/header-facts.js';
import type { MessageMeta } from '../imap/imap-types.js';
import { compareKey, type MatchMode } from '../mail/fingerprint.js';
import { flagsToText } from '../mail/message-flags.js';
import { openScratchDatabase, type Db } from '../state/open-database.js';

export type Side = 'source' | 'target';

const SYSTEM_FLAGS = new Set(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft']);

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
        subject TEXT NOT NULL,      -- as the header line holds it (decoded only for what is reported)
        sender TEXT NOT NULL,
        decoded INTEGER NOT NULL,   -- 1: subject and sender are decoded already
        rank INTEGER,
        UNIQUE (side, uid)
      );`);
    // A UID read twice (a server that answers a message twice) counts once: the first answer stays.
    this.insert = this.db.prepare(
      `INSERT OR IGNORE INTO fact (side, uid, key, flags, size, message_id, date, subject, sender, decoded)
       VALUES (@side, @uid, @key, @flags, @size, @messageId, @date, @subject, @sender, @decoded)`,
    );
  }

  /** One page of one side's facts, in one transaction. */
  add(side: Side, page: readonly MessageMeta[]): void {
    const s = side === 'source' ? 0 : 1;
    this.db.transaction(() => {
      for (const m of page) {
        // Reading subject/from of HeaderFacts decodes them; kept raw unless the key needed them.
        const raw = m instanceof HeaderFacts ? m.raw : null;
        const key = compareKey(m, this.includeSize);
        this.insert.run({
          side: s,
          uid: m.uid,
          key,
          flags: comparableFlags(m.flags, this.mode),
          size: m.size,
          messageId: m.messageId,
          date: m.date,
          subject: raw && m.messageId ? raw.subject : m.subject,
          sender: raw && m.messageId ? raw.from : m.from,
          decoded: raw && m.messageId ? 0 : 1,
        });
      }
    })();
  }

  /** The comparison of what was added; the rows are cleared for the next folder. */
  compare(source: string, target: string): FolderComparison {
    try {
      return { source, target, leftOut: false, ...this.totals(), ...this.matches() };
    } finally {
      this.db.exec('DELETE FROM fact');
    }
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
    // Each message's place among its side's messages with the same key, in UID order.
    db.exec(`
      UPDATE fact SET rank = r.rank
        FROM (SELECT rowid AS id, row_number() OVER (PARTITION BY side, key ORDER BY uid) AS rank FROM fact) AS r
       WHERE fact.rowid = r.id;
      CREATE INDEX IF NOT EXISTS fact_match ON fact (side, key, rank);`);
    const missingRows = db
      .prepare(
        `SELECT uid, message_id AS messageId, subject, sender, decoded, date, size FROM fact AS s
          WHERE side = 0 AND NOT EXISTS (SELECT 1 FROM fact AS t WHERE t.side = 1 AND t.key = s.key AND t.rank = s.rank)
          ORDER BY uid`,
      )
      .all() as (ReportedRow & { uid: number; size: number })[];
    const missing: MissingMessage[] = missingRows.map((r) => {
      const { subject, from } = reported(r);
      return { uid: r.uid, messageId: r.messageId, subject, date: r.date, from, size: r.size };
    });
    const { n: flagMismatches } = db
      .prepare(`SELECT count(*) AS n FROM fact AS s JOIN fact AS t ON t.side = 1 AND t.key = s.key AND t.rank = s.rank WHERE s.side = 0 AND s.flags <> t.flags`)
      .get() as { n: number };
    // Keys with more messages on the target than on the source, in the order the target first has them.
    const surplus = db
      .prepare(
        `SELECT key, sum(side = 0) AS onSource, sum(side = 1) AS onTarget, min(CASE WHEN side = 1 THEN uid END) AS firstOnTarget
           FROM fact GROUP BY key HAVING onTarget > onSource ORDER BY firstOnTarget`,
      )
      .all() as { key: string; onSource: number; onTarget: number }[];
    const firstOnSource = db.prepare(`SELECT message_id AS messageId, subject, sender, decoded, date FROM fact WHERE side = 0 AND key = ? AND rank = 1`);
    const duplicates: DuplicateMessage[] = [];
    let extraOnTarget = 0;
    for (const s of surplus) {
      if (s.onSource === 0) {
        extraOnTarget += s.onTarget;
        continue;
      }
      const first = firstOnSource.get(s.key) as ReportedRow;
      duplicates.push({ messageId: first.messageId, subject: reported(first).subject, date: first.date, copies: s.onTarget - s.onSource });
    }
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
  const list = [...flags].filter((f) => mode === 'exact' || SYSTEM_FLAGS.has(f.toLowerCase()));
  return flagsToText(list.filter((f) => f.toLowerCase() !== '$mdnsent'));
}
