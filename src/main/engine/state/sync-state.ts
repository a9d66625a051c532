import type { Db } from './open-database.js';

export type MessageState = 'pending' | 'done' | 'failed' | 'skipped';

export interface MessageRow {
  sourceUid: number;
  state: MessageState;
  fingerprint: string;
  messageId: string | null;
  size: number;
  internalDate: number | null;
  /** Source flags as last carried over (space-separated, sorted). */
  flags: string;
  targetUid: number | null;
  reason: string | null;
  subject: string | null;
}

export interface FolderRow {
  id: number;
  sourcePath: string;
  targetPath: string;
  sourceUidValidity: number | null;
  targetUidValidity: number | null;
  seenUidNext: number | null;
  seenModseq: string | null;
  seenMessages: number | null;
  targetSeenUidNext: number | null;
  clean: boolean;
}

export interface FolderSnapshot {
  sourceUidValidity: number;
  targetUidValidity: number;
  seenUidNext: number;
  seenModseq: string | null;
  seenMessages: number;
  targetSeenUidNext: number;
}

interface MessageDbRow {
  source_uid: number;
  state: MessageState;
  fingerprint: string;
  message_id: string | null;
  size: number;
  internal_date: number | null;
  flags: string;
  target_uid: number | null;
  reason: string | null;
  subject: string | null;
}

interface FolderDbRow {
  id: number;
  source_path: string;
  target_path: string;
  source_uidvalidity: number | null;
  target_uidvalidity: number | null;
  seen_uidnext: number | null;
  seen_modseq: string | null;
  seen_messages: number | null;
  target_seen_uidnext: number | null;
  clean: number;
}

/**
 * The sync's memory: which source message is where on the target. Every write is a transaction;
 * the copier relies on the order "intent committed → APPEND → completion committed".
 */
export class SyncState {
  constructor(private readonly db: Db) {}

  pairId(sourceKey: string, targetKey: string): number {
    this.db
      .prepare('INSERT OR IGNORE INTO sync_pair (source_key, target_key, created_at) VALUES (?, ?, ?)')
      .run(sourceKey, targetKey, Date.now());
    const row = this.db.prepare('SELECT id FROM sync_pair WHERE source_key = ? AND target_key = ?').get(sourceKey, targetKey) as { id: number };
    return row.id;
  }

  /** All folders recorded for a pair, by source path (for the no-op fast path). */
  folders(pairId: number): Map<string, FolderRow> {
    const rows = this.db.prepare('SELECT * FROM folder_pair WHERE pair_id = ?').all(pairId) as FolderDbRow[];
    return new Map(rows.map((r) => [r.source_path, folderOf(r)]));
  }

  /** The folder row, created on first use. A changed target path starts that folder's map afresh. */
  folder(pairId: number, sourcePath: string, targetPath: string): FolderRow {
    const existing = this.db.prepare('SELECT * FROM folder_pair WHERE pair_id = ? AND source_path = ?').get(pairId, sourcePath) as FolderDbRow | undefined;
    if (existing && existing.target_path === targetPath) return folderOf(existing);
    if (existing) {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM message WHERE folder_id = ?').run(existing.id);
        this.db
          .prepare('UPDATE folder_pair SET target_path = ?, target_uidvalidity = NULL, seen_uidnext = NULL, seen_modseq = NULL, seen_messages = NULL, target_seen_uidnext = NULL, clean = 0 WHERE id = ?')
          .run(targetPath, existing.id);
      })();
    } else {
      this.db.prepare('INSERT INTO folder_pair (pair_id, source_path, target_path) VALUES (?, ?, ?)').run(pairId, sourcePath, targetPath);
    }
    return this.folder(pairId, sourcePath, targetPath);
  }

  messages(folderId: number): Map<number, MessageRow> {
    const rows = this.db.prepare('SELECT * FROM message WHERE folder_id = ?').all(folderId) as MessageDbRow[];
    return new Map(rows.map((r) => [r.source_uid, messageOf(r)]));
  }

  /** Pending or failed messages: a folder with any is never skipped by the fast path. */
  countUnsettled(folderId: number): number {
    const row = this.db.prepare("SELECT COUNT(*) AS n FROM message WHERE folder_id = ? AND state IN ('pending', 'failed')").get(folderId) as { n: number };
    return row.n;
  }

  /** Order matters: this commit must happen before the APPENDs it announces. */
  recordIntents(folderId: number, rows: MessageRow[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO message (folder_id, source_uid, state, fingerprint, message_id, size, internal_date, flags, target_uid, reason, subject)
       VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, NULL, NULL, ?)
       ON CONFLICT (folder_id, source_uid) DO UPDATE SET state = 'pending', fingerprint = excluded.fingerprint,
         message_id = excluded.message_id, size = excluded.size, internal_date = excluded.internal_date,
         flags = excluded.flags, target_uid = NULL, reason = NULL, subject = excluded.subject`,
    );
    this.db.transaction(() => {
      for (const r of rows) stmt.run(folderId, r.sourceUid, r.fingerprint, r.messageId, r.size, r.internalDate, r.flags, r.subject);
    })();
  }

  /** Records messages found on the target (copied now or before), in one transaction. */
  markDone(folderId: number, done: { sourceUid: number; targetUid: number | null; flags: string }[]): void {
    if (done.length === 0) return;
    const stmt = this.db.prepare("UPDATE message SET state = 'done', target_uid = ?, flags = ?, reason = NULL WHERE folder_id = ? AND source_uid = ?");
    this.db.transaction(() => {
      for (const d of done) stmt.run(d.targetUid, d.flags, folderId, d.sourceUid);
    })();
  }

  /** Messages over the size limit: remembered so every later summary still lists them. */
  recordSkipped(folderId: number, rows: MessageRow[]): void {
    if (rows.length === 0) return;
    const stmt = this.db.prepare(
      `INSERT INTO message (folder_id, source_uid, state, fingerprint, message_id, size, internal_date, flags, target_uid, reason, subject)
       VALUES (?, ?, 'skipped', ?, ?, ?, ?, ?, NULL, ?, ?)
       ON CONFLICT (folder_id, source_uid) DO UPDATE SET state = 'skipped', reason = excluded.reason`,
    );
    this.db.transaction(() => {
      for (const r of rows) stmt.run(folderId, r.sourceUid, r.fingerprint, r.messageId, r.size, r.internalDate, r.flags, r.reason, r.subject);
    })();
  }

  rowsInState(folderId: number, state: MessageState): MessageRow[] {
    const rows = this.db.prepare('SELECT * FROM message WHERE folder_id = ? AND state = ? ORDER BY source_uid').all(folderId, state) as MessageDbRow[];
    return rows.map(messageOf);
  }

  /** The source message vanished (expunged) before it could be copied: drop the intent. */
  forget(folderId: number, sourceUid: number): void {
    this.db.prepare("DELETE FROM message WHERE folder_id = ? AND source_uid = ? AND state != 'done'").run(folderId, sourceUid);
  }

  markFailed(folderId: number, sourceUid: number, reason: string): void {
    this.db.prepare("UPDATE message SET state = 'failed', reason = ? WHERE folder_id = ? AND source_uid = ?").run(reason, folderId, sourceUid);
  }

  updateFlags(folderId: number, updates: { sourceUid: number; flags: string }[]): void {
    if (updates.length === 0) return;
    const stmt = this.db.prepare('UPDATE message SET flags = ? WHERE folder_id = ? AND source_uid = ?');
    this.db.transaction(() => {
      for (const u of updates) stmt.run(u.flags, folderId, u.sourceUid);
    })();
  }

  /**
   * After the source's UIDVALIDITY changed: give each remembered message its new UID (matched by
   * fingerprint by the caller) and forget the ones no longer on the source.
   */
  rekeySource(folderId: number, newUids: Map<number, number>, uidValidity: number): void {
    this.db.transaction(() => {
      const rows = this.db.prepare('SELECT * FROM message WHERE folder_id = ?').all(folderId) as MessageDbRow[];
      this.db.prepare('DELETE FROM message WHERE folder_id = ?').run(folderId);
      const insert = this.db.prepare(
        `INSERT INTO message (folder_id, source_uid, state, fingerprint, message_id, size, internal_date, flags, target_uid, reason, subject)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of rows) {
        const uid = newUids.get(r.source_uid);
        if (uid === undefined) continue;
        insert.run(folderId, uid, r.state, r.fingerprint, r.message_id, r.size, r.internal_date, r.flags, r.target_uid, r.reason, r.subject);
      }
      this.db
        .prepare('UPDATE folder_pair SET source_uidvalidity = ?, seen_uidnext = NULL, seen_modseq = NULL, seen_messages = NULL, clean = 0 WHERE id = ?')
        .run(uidValidity, folderId);
    })();
  }

  /** After the target's UIDVALIDITY changed, remembered target UIDs mean nothing any more. */
  forgetTargetUids(folderId: number, uidValidity: number): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE message SET target_uid = NULL WHERE folder_id = ?').run(folderId);
      this.db.prepare('UPDATE folder_pair SET target_uidvalidity = ?, target_seen_uidnext = NULL, clean = 0 WHERE id = ?').run(uidValidity, folderId);
    })();
  }

  setUidValidities(folderId: number, source: number, target: number): void {
    this.db.prepare('UPDATE folder_pair SET source_uidvalidity = ?, target_uidvalidity = ? WHERE id = ?').run(source, target, folderId);
  }

  /** Marks a pass as clean: a later run whose STATUS matches this snapshot can skip the folder. */
  saveSnapshot(folderId: number, s: FolderSnapshot, clean: boolean): void {
    this.db
      .prepare(
        `UPDATE folder_pair SET source_uidvalidity = ?, target_uidvalidity = ?, seen_uidnext = ?, seen_modseq = ?,
         seen_messages = ?, target_seen_uidnext = ?, clean = ? WHERE id = ?`,
      )
      .run(s.sourceUidValidity, s.targetUidValidity, s.seenUidNext, s.seenModseq, s.seenMessages, s.targetSeenUidNext, clean ? 1 : 0, folderId);
  }
}

function folderOf(r: FolderDbRow): FolderRow {
  return {
    id: r.id,
    sourcePath: r.source_path,
    targetPath: r.target_path,
    sourceUidValidity: r.source_uidvalidity,
    targetUidValidity: r.target_uidvalidity,
    seenUidNext: r.seen_uidnext,
    seenModseq: r.seen_modseq,
    seenMessages: r.seen_messages,
    targetSeenUidNext: r.target_seen_uidnext,
    clean: r.clean === 1,
  };
}

function messageOf(r: MessageDbRow): MessageRow {
  return {
    sourceUid: r.source_uid,
    state: r.state,
    fingerprint: r.fingerprint,
    messageId: r.message_id,
    size: r.size,
    internalDate: r.internal_date,
    flags: r.flags,
    targetUid: r.target_uid,
    reason: r.reason,
    subject: r.subject,
  };
}
