import { CutoverError } from '../../../shared/errors.js';
import { allowedFromAnywhere, checkTransition, mayForget, statesBefore, type MessageState, type StateOrAbsent } from './message-state.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database.js';

export type { MessageState };

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
  planMessages: number | null;
  planBytes: number | null;
  seenBytes: number | null;
  seenDone: number | null;
}

export interface FolderSnapshot {
  sourceUidValidity: number;
  targetUidValidity: number;
  seenUidNext: number;
  seenModseq: string | null;
  seenMessages: number;
  targetSeenUidNext: number;
  /** Bytes of the source folder, and how many of its messages are on the target. */
  seenBytes: number;
  seenDone: number;
}

/** A message Cutover appended, as the target named it (APPENDUID). */
export interface AppendedCopy {
  sourceUid: number;
  targetUid: number | null;
  flags: string;
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
  plan_messages: number | null;
  plan_bytes: number | null;
  seen_bytes: number | null;
  seen_done: number | null;
}

/**
 * The sync's memory: which source message is where on the target. Every write is a transaction;
 * the copier relies on the order "intent committed → APPEND → completion committed". Every change
 * of a message's state is checked against the state machine (message-state.ts).
 *
 * With a lease (`lease`), an intent is only ever committed while this process holds the pair:
 * a process that lost its lease can no longer announce an APPEND.
 */
/** The states a message may become done from, as an SQL list (markDoneInTransaction's condition). */
const DONE_FROM = statesBefore('done')
  .map((state) => `'${state}'`)
  .join(', ');

export class SyncState {
  /** Prepared once per database: preparing compiles the SQL, and the copy checks a state per message. */
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly lease: { pairId: number; token: string } | null = null,
  ) {}

  private sql(text: string): Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  /** All folders recorded for a pair, by source path (for the no-op fast path). */
  folders(pairId: number): Map<string, FolderRow> {
    const rows = this.sql('SELECT * FROM folder_pair WHERE pair_id = ?').all(pairId) as FolderDbRow[];
    return new Map(rows.map((r) => [r.source_path, folderOf(r)]));
  }

  /** The folder row, created on first use. A changed target path starts that folder's map afresh. */
  folder(pairId: number, sourcePath: string, targetPath: string): FolderRow {
    const existing = this.sql('SELECT * FROM folder_pair WHERE pair_id = ? AND source_path = ?').get(pairId, sourcePath) as FolderDbRow | undefined;
    if (existing && existing.target_path === targetPath) return folderOf(existing);
    if (existing) {
      this.db.transaction(() => {
        this.sql('DELETE FROM message WHERE folder_id = ?').run(existing.id);
        this.db
          .prepare('UPDATE folder_pair SET target_path = ?, target_uidvalidity = NULL, seen_uidnext = NULL, seen_modseq = NULL, seen_messages = NULL, target_seen_uidnext = NULL, clean = 0 WHERE id = ?')
          .run(targetPath, existing.id);
      })();
    } else {
      this.sql('INSERT INTO folder_pair (pair_id, source_path, target_path) VALUES (?, ?, ?)').run(pairId, sourcePath, targetPath);
    }
    return this.folder(pairId, sourcePath, targetPath);
  }

  messages(folderId: number): Map<number, MessageRow> {
    const rows = this.sql('SELECT * FROM message WHERE folder_id = ?').all(folderId) as MessageDbRow[];
    return new Map(rows.map((r) => [r.source_uid, messageOf(r)]));
  }

  /** Pending or failed messages: a folder with any is never skipped by the fast path. */
  countUnsettled(folderId: number): number {
    const row = this.sql("SELECT COUNT(*) AS n FROM message WHERE folder_id = ? AND state IN ('pending', 'failed')").get(folderId) as { n: number };
    return row.n;
  }

  /** Order matters: this commit must happen before the APPENDs it announces. */
  recordIntents(folderId: number, rows: MessageRow[]): void {
    if (rows.length === 0) return;
    const stmt = this.sql(
      `INSERT INTO message (folder_id, source_uid, state, fingerprint, message_id, size, internal_date, flags, target_uid, reason, subject)
       VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, NULL, NULL, ?)
       ON CONFLICT (folder_id, source_uid) DO UPDATE SET state = 'pending', fingerprint = excluded.fingerprint,
         message_id = excluded.message_id, size = excluded.size, internal_date = excluded.internal_date,
         flags = excluded.flags, target_uid = NULL, reason = NULL, subject = excluded.subject`,
    );
    this.db.transaction(() => {
      this.checkLease();
      for (const r of rows) {
        this.transition(folderId, r.sourceUid, 'pending');
        stmt.run(folderId, r.sourceUid, r.fingerprint, r.messageId, r.size, r.internalDate, r.flags, r.subject);
      }
    })();
  }

  /** Records messages found on the target (copied now or before), in one transaction. */
  markDone(folderId: number, done: { sourceUid: number; targetUid: number | null; flags: string }[]): void {
    if (done.length === 0) return;
    this.db.transaction(() => this.markDoneInTransaction(folderId, done))();
  }

  /**
   * Records messages this run appended: done, and (where the target told their UID) remembered as
   * Cutover's own copies, the only ones that may ever be removed as extra copies.
   */
  markCopied(folderId: number, target: { path: string; uidValidity: number }, copies: AppendedCopy[]): void {
    if (copies.length === 0) return;
    const folder = this.sql('SELECT pair_id, source_path FROM folder_pair WHERE id = ?').get(folderId) as { pair_id: number; source_path: string };
    const log = this.sql(
      `INSERT OR REPLACE INTO target_copy (pair_id, target_path, target_uidvalidity, target_uid, source_path, source_uid, fingerprint, copied_at)
       SELECT ?, ?, ?, ?, ?, source_uid, fingerprint, ? FROM message WHERE folder_id = ? AND source_uid = ?`,
    );
    const now = Date.now();
    this.db.transaction(() => {
      this.markDoneInTransaction(folderId, copies);
      for (const c of copies) {
        if (c.targetUid !== null) log.run(folder.pair_id, target.path, target.uidValidity, c.targetUid, folder.source_path, now, folderId, c.sourceUid);
      }
    })();
  }

  /** Messages over the size limit: remembered so every later summary still lists them. */
  recordSkipped(folderId: number, rows: MessageRow[]): void {
    if (rows.length === 0) return;
    const stmt = this.sql(
      `INSERT INTO message (folder_id, source_uid, state, fingerprint, message_id, size, internal_date, flags, target_uid, reason, subject)
       VALUES (?, ?, 'skipped', ?, ?, ?, ?, ?, NULL, ?, ?)
       ON CONFLICT (folder_id, source_uid) DO UPDATE SET state = 'skipped', reason = excluded.reason`,
    );
    this.db.transaction(() => {
      for (const r of rows) {
        this.transition(folderId, r.sourceUid, 'skipped');
        stmt.run(folderId, r.sourceUid, r.fingerprint, r.messageId, r.size, r.internalDate, r.flags, r.reason, r.subject);
      }
    })();
  }

  rowsInState(folderId: number, state: MessageState): MessageRow[] {
    const rows = this.sql('SELECT * FROM message WHERE folder_id = ? AND state = ? ORDER BY source_uid').all(folderId, state) as MessageDbRow[];
    return rows.map(messageOf);
  }

  /** The source message vanished (expunged) before it could be copied: drop the intent. */
  forget(folderId: number, sourceUid: number): void {
    this.db.transaction(() => {
      const current = this.stateOf(folderId, sourceUid);
      if (current === 'absent' || !mayForget(current)) return;
      this.sql('DELETE FROM message WHERE folder_id = ? AND source_uid = ?').run(folderId, sourceUid);
    })();
  }

  markFailed(folderId: number, sourceUid: number, reason: string): void {
    this.db.transaction(() => {
      this.transition(folderId, sourceUid, 'failed');
      this.sql("UPDATE message SET state = 'failed', reason = ? WHERE folder_id = ? AND source_uid = ?").run(reason, folderId, sourceUid);
    })();
  }

  updateFlags(folderId: number, updates: { sourceUid: number; flags: string }[]): void {
    if (updates.length === 0) return;
    const stmt = this.sql('UPDATE message SET flags = ? WHERE folder_id = ? AND source_uid = ?');
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
      const rows = this.sql('SELECT * FROM message WHERE folder_id = ?').all(folderId) as MessageDbRow[];
      this.sql('DELETE FROM message WHERE folder_id = ?').run(folderId);
      const insert = this.sql(
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
      this.sql('UPDATE message SET target_uid = NULL WHERE folder_id = ?').run(folderId);
      this.sql('UPDATE folder_pair SET target_uidvalidity = ?, target_seen_uidnext = NULL, clean = 0 WHERE id = ?').run(uidValidity, folderId);
    })();
  }

  setUidValidities(folderId: number, source: number, target: number): void {
    this.sql('UPDATE folder_pair SET source_uidvalidity = ?, target_uidvalidity = ? WHERE id = ?').run(source, target, folderId);
  }

  /** Marks a pass as clean: a later run whose STATUS matches this snapshot can skip the folder. */
  saveSnapshot(folderId: number, s: FolderSnapshot, clean: boolean): void {
    this.db
      .prepare(
        `UPDATE folder_pair SET source_uidvalidity = ?, target_uidvalidity = ?, seen_uidnext = ?, seen_modseq = ?,
         seen_messages = ?, target_seen_uidnext = ?, seen_bytes = ?, seen_done = ?, clean = ? WHERE id = ?`,
      )
      .run(s.sourceUidValidity, s.targetUidValidity, s.seenUidNext, s.seenModseq, s.seenMessages, s.targetSeenUidNext, s.seenBytes, s.seenDone, clean ? 1 : 0, folderId);
  }

  /** The plan made before copying: how many messages and bytes the source folder has. */
  savePlan(folderId: number, messages: number, bytes: number): void {
    this.sql('UPDATE folder_pair SET plan_messages = ?, plan_bytes = ? WHERE id = ?').run(messages, bytes, folderId);
  }

  /** Done messages of a folder among the given source UIDs (the ones the source has now), with their bytes. */
  doneAmong(folderId: number, sourceSizes: Map<number, number>): { messages: number; bytes: number } {
    let messages = 0;
    let bytes = 0;
    for (const { source_uid } of this.sql("SELECT source_uid FROM message WHERE folder_id = ? AND state = 'done'").iterate(folderId) as Iterable<{ source_uid: number }>) {
      const size = sourceSizes.get(source_uid);
      if (size === undefined) continue;
      messages++;
      bytes += size;
    }
    return { messages, bytes };
  }

  private markDoneInTransaction(folderId: number, done: { sourceUid: number; targetUid: number | null; flags: string }[]): void {
    // The state machine's check is the UPDATE's own condition: a row in a state allowed to become
    // done. Only when it finds none is the state looked up, to say which move was refused. (A copy
    // records two moves per message; a look-up before each was a fifth of the journal's CPU.)
    const stmt = this.sql(`UPDATE message SET state = 'done', target_uid = ?, flags = ?, reason = NULL WHERE folder_id = ? AND source_uid = ? AND state IN (${DONE_FROM})`);
    for (const d of done) {
      if (stmt.run(d.targetUid, d.flags, folderId, d.sourceUid).changes > 0) continue;
      this.transition(folderId, d.sourceUid, 'done');
      // Allowed, yet no row was changed: nothing to mark (never silently).
      throw new CutoverError({ code: 'internal', message: `The journal has no message ${d.sourceUid} to mark as copied.`, retryable: false });
    }
  }

  private stateOf(folderId: number, sourceUid: number): StateOrAbsent {
    const row = this.sql('SELECT state FROM message WHERE folder_id = ? AND source_uid = ?').get(folderId, sourceUid) as { state: MessageState } | undefined;
    return row?.state ?? 'absent';
  }

  /** Checks one move against the state machine; call inside the transaction that makes it. */
  private transition(folderId: number, sourceUid: number, to: MessageState): void {
    // A move allowed from every state needs no look-up (an intent: pending from anything).
    if (allowedFromAnywhere(to)) return;
    checkTransition(this.stateOf(folderId, sourceUid), to, sourceUid);
  }

  private checkLease(): void {
    if (!this.lease) return;
    const row = this.sql('SELECT token FROM pair_lease WHERE pair_id = ?').get(this.lease.pairId) as { token: string } | undefined;
    if (row?.token !== this.lease.token) {
      throw new CutoverError({ code: 'pair-busy', message: 'Another process took over this mailbox pair; this copy stopped before sending more.', retryable: false, facts: { lost: true } });
    }
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
    planMessages: r.plan_messages,
    planBytes: r.plan_bytes,
    seenBytes: r.seen_bytes,
    seenDone: r.seen_done,
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
