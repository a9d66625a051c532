import { randomUUID } from 'node:crypto';
import type { Db } from './open-database.js';

export type PimKind = 'contact' | 'event';

export interface PimRow {
  sourceKey: string;
  containerId: string;
  graphId: string | null;
  contentHash: string;
  state: 'pending' | 'done';
  /** Makes the create key unique once an earlier create of this item was deleted (see migrations.ts); null before. */
  createNonce: string | null;
}

interface PimDbRow {
  source_key: string;
  container_id: string;
  graph_id: string | null;
  content_hash: string;
  state: 'pending' | 'done';
  create_nonce: string | null;
}

/** What Cutover created in a mailbox's contacts and calendars; mirrors the Graph extended property. */
export class PimState {
  constructor(private readonly db: Db) {}

  rows(mailbox: string, kind: PimKind): Map<string, PimRow> {
    const rows = this.db.prepare('SELECT * FROM pim_item WHERE mailbox = ? AND kind = ?').all(mailbox.toLowerCase(), kind) as PimDbRow[];
    return new Map(rows.map((r) => [r.source_key, { sourceKey: r.source_key, containerId: r.container_id, graphId: r.graph_id, contentHash: r.content_hash, state: r.state, createNonce: r.create_nonce }]));
  }

  /**
   * Order matters: committed before the POST it announces. The row's create nonce is kept, so a
   * resend of the same intent uses the same create key (idempotent); returns each key's nonce.
   */
  recordIntents(mailbox: string, kind: PimKind, intents: { sourceKey: string; containerId: string; contentHash: string }[]): Map<string, string | null> {
    const stmt = this.db.prepare(
      `INSERT INTO pim_item (mailbox, kind, source_key, container_id, graph_id, content_hash, state) VALUES (?, ?, ?, ?, NULL, ?, 'pending')
       ON CONFLICT (mailbox, kind, source_key) DO UPDATE SET state = 'pending', content_hash = excluded.content_hash, container_id = excluded.container_id
       RETURNING source_key, create_nonce`,
    );
    const nonces = new Map<string, string | null>();
    this.db.transaction(() => {
      for (const i of intents) {
        const r = stmt.get(mailbox.toLowerCase(), kind, i.sourceKey, i.containerId, i.contentHash) as { source_key: string; create_nonce: string | null };
        nonces.set(r.source_key, r.create_nonce);
      }
    })();
    return nonces;
  }

  /**
   * A new random create nonce for an item whose create key was used by an event deleted since.
   * Order matters: committed before the POST that uses it.
   */
  renewNonce(mailbox: string, kind: PimKind, sourceKey: string): string {
    const nonce = randomUUID();
    this.db.prepare('UPDATE pim_item SET create_nonce = ? WHERE mailbox = ? AND kind = ? AND source_key = ?').run(nonce, mailbox.toLowerCase(), kind, sourceKey);
    return nonce;
  }

  /**
   * The item Cutover created was deleted by an undo: the next copy creates it again, with a new
   * create key (Exchange refuses a used transactionId for good), so it is kept as an intent to
   * create with a fresh nonce rather than forgotten.
   */
  undone(mailbox: string, kind: PimKind, sourceKey: string): void {
    this.db
      .prepare(`UPDATE pim_item SET state = 'pending', graph_id = NULL, create_nonce = ? WHERE mailbox = ? AND kind = ? AND source_key = ?`)
      .run(randomUUID(), mailbox.toLowerCase(), kind, sourceKey);
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
