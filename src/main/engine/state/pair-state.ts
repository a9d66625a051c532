import { z } from 'zod';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import type { LastRun } from '../../../shared/sync-types.js';
import type { Db } from './open-database.js';

/** Per folder of a pair: what the last plan saw on the source and what the journal says. */
export interface FolderCounts {
  source: string;
  target: string;
  /** Source messages as last planned (or seen by the last clean pass); null before any plan. */
  known: number | null;
  done: number;
  pending: number;
  failed: number;
  skipped: number;
}

const rulesSchema = z.object({ exclude: z.array(z.string()), rename: z.record(z.string(), z.string()) });

const mappingSchema = z.array(
  z.object({
    source: z.string(),
    sourceDelimiter: z.string(),
    target: z.string().nullable(),
    targetDelimiter: z.string(),
    special: z.enum(['inbox', 'sent', 'drafts', 'trash', 'junk', 'archive']).nullable(),
    reason: z.enum(['inbox', 'special-use', 'well-known-name', 'same-name', 'inside-mapped-parent', 'user-rename', 'user-excluded', 'not-selectable']),
    targetExists: z.boolean(),
    selectable: z.boolean(),
  }),
);

const lastRunSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  repair: z.boolean(),
  copied: z.number(),
  failed: z.number(),
  cancelled: z.boolean(),
});

/**
 * What the state database remembers about a mailbox pair as a whole: the folder rules the user
 * chose, the mapping the last copy used, the last run, and counts for a status shown without
 * connecting anywhere. Stored JSON is validated on the way out: a damaged value reads as absent.
 */
export class PairState {
  constructor(private readonly db: Db) {}

  /** The pair's id, or null when Cutover never worked on it. */
  find(sourceKey: string, targetKey: string): number | null {
    const row = this.db.prepare('SELECT id FROM sync_pair WHERE source_key = ? AND target_key = ?').get(sourceKey, targetKey) as { id: number } | undefined;
    return row?.id ?? null;
  }

  /** The pair's id, created on first use. */
  ensure(sourceKey: string, targetKey: string): number {
    this.db.prepare('INSERT OR IGNORE INTO sync_pair (source_key, target_key, created_at) VALUES (?, ?, ?)').run(sourceKey, targetKey, Date.now());
    return this.find(sourceKey, targetKey)!;
  }

  saveRules(pairId: number, rules: MappingRules): void {
    this.db.prepare('UPDATE sync_pair SET rules = ? WHERE id = ?').run(JSON.stringify(rules), pairId);
  }

  rules(pairId: number): MappingRules | null {
    return this.json(pairId, 'rules', rulesSchema);
  }

  saveMapping(pairId: number, mapping: FolderMapping[]): void {
    this.db.prepare('UPDATE sync_pair SET mapping = ? WHERE id = ?').run(JSON.stringify(mapping), pairId);
  }

  mapping(pairId: number): FolderMapping[] | null {
    return this.json(pairId, 'mapping', mappingSchema);
  }

  saveLastRun(pairId: number, run: LastRun): void {
    this.db.prepare('UPDATE sync_pair SET last_run = ? WHERE id = ?').run(JSON.stringify(run), pairId);
  }

  lastRun(pairId: number): LastRun | null {
    return this.json(pairId, 'last_run', lastRunSchema);
  }

  /** Journal counts per folder of the pair, with the last plan's message count. */
  folderCounts(pairId: number): FolderCounts[] {
    const rows = this.db
      .prepare(
        `SELECT f.source_path AS source, f.target_path AS target, COALESCE(f.plan_messages, f.seen_messages) AS known,
           SUM(m.state = 'done') AS done, SUM(m.state = 'pending') AS pending, SUM(m.state = 'failed') AS failed, SUM(m.state = 'skipped') AS skipped
         FROM folder_pair f LEFT JOIN message m ON m.folder_id = f.id WHERE f.pair_id = ? GROUP BY f.id ORDER BY f.source_path`,
      )
      .all(pairId) as { source: string; target: string; known: number | null; done: number | null; pending: number | null; failed: number | null; skipped: number | null }[];
    return rows.map((r) => ({ source: r.source, target: r.target, known: r.known, done: r.done ?? 0, pending: r.pending ?? 0, failed: r.failed ?? 0, skipped: r.skipped ?? 0 }));
  }

  /** How many messages Cutover itself appended for this pair, over every run. */
  copiesMade(pairId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM target_copy WHERE pair_id = ?').get(pairId) as { n: number }).n;
  }

  private json<T>(pairId: number, column: 'rules' | 'mapping' | 'last_run', schema: z.ZodType<T>): T | null {
    const row = this.db.prepare(`SELECT ${column} AS value FROM sync_pair WHERE id = ?`).get(pairId) as { value: string | null } | undefined;
    if (!row?.value) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
