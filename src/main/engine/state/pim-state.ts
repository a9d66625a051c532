import type { Db } from './open-database.js';

export type PimKind = 'contact' | 'event';

export interface PimRow {
  sourceKey: string;
  containerId: string;
  graphId: string | null;
  contentHash: string;
  state: 'pending' | 'done';
}

interface PimDbRow {
  source_key: string;
  container_id: string;
  graph_id: string | null;
  content_hash: string;
  state: 'pending' | 'done';
}

/** What Cutover created in a mailbox's contacts and calendars; mirrors the Graph extended property. */
export class PimState {
  constructor(private readonly db: Db) {}

  rows(mailbox: string, kind: PimKind): Map<string, PimRow> {
    const rows = this.db.prepare('SELECT * FROM pim_item WHERE mailbox = ? AND kind = ?').all(mailbox.toLowerCase(), kind) as PimDbRow[];
    return new Map(rows.map((r) => [r.source_key, { sourceKey: r.source_key, containerId: r.container_id, graphId: r.graph_id, contentHash: r.content_hash, state: r.state }]));
  }

  /** Order matters: committed before the POST it announces. */
  recordIntents(mailbox: string, kind: PimKind, intents: { sourceKey: string; containerId: string; contentHash: string }[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO pim_item (mailbox, kind, source_key, container_id, graph_id, content_hash, state) VALUES (?, ?, ?, ?, NULL, ?, 'pending')
       ON CONFLICT (mailbox, kind, source_key) DO UPDATE SET state = 'pending', content_hash = excluded.content_hash, container_id = excluded.container_id`,
    );
    this.db.transaction(() => {
      for (const i of intents) stmt.run(mailbox.toLowerCase(), kind, i.sourceKey, i.containerId, i.contentHash);
    })();
  }

  markDone(mailbox: string, kind: PimKind, sourceKey: string, containerId: string, graphId: string, contentHash: string): void {
    this.db
      .prepare(
        `INSERT INTO pim_item (mailbox, kind, source_key, container_id, graph_id, content_hash, state) VALUES (?, ?, ?, ?, ?, ?, 'done')
         ON CONFLICT (mailbox, kind, source_key) DO UPDATE SET state = 'done', graph_id = excluded.graph_id, content_hash = excluded.content_hash, container_id = excluded.container_id`,
      )
      .run(mailbox.toLowerCase(), kind, sourceKey, containerId, graphId, contentHash);
  }

  forget(mailbox: string, kind: PimKind, sourceKey: string): void {
    this.db.prepare('DELETE FROM pim_item WHERE mailbox = ? AND kind = ? AND source_key = ?').run(mailbox.toLowerCase(), kind, sourceKey);
  }

  containers(mailbox: string, kind: PimKind): string[] {
    const rows = this.db.prepare('SELECT DISTINCT container_id FROM pim_item WHERE mailbox = ? AND kind = ?').all(mailbox.toLowerCase(), kind) as { container_id: string }[];
    return rows.map((r) => r.container_id);
  }
}
