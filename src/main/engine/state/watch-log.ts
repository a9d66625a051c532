import type { LateArrival } from '../../../shared/watch-types.js';
import type { Db } from './open-database.js';

/** What the state database remembers of a pair's watch (times in ms since the epoch). */
export interface WatchRow {
  loggedUntil: number;
  lastCheckedAt: number | null;
  switchSeenAt: number | null;
  oldMxTtl: number | null;
  compare: { at: number; missing: number } | null;
  state: string | null;
  lastError: string | null;
}

/** A target copy made since the last collection, with what the journal knows of its message. */
export interface NewCopy {
  targetPath: string;
  targetUidValidity: number;
  targetUid: number;
  sourcePath: string;
  sourceUid: number;
  copiedAt: number;
  subject: string | null;
  internalDate: number | null;
}

interface RawWatchRow {
  logged_until: number;
  last_checked_at: number | null;
  switch_seen_at: number | null;
  old_mx_ttl: number | null;
  compare_at: number | null;
  compare_missing: number | null;
  state: string | null;
  last_error: string | null;
}

/**
 * The watch's memory (tables watch_pair and watch_copy): which copies it has listed, when it last
 * checked, the switch, the last comparison. Copies are collected from target_copy (written with every
 * APPEND's completion) after each pass, so a watch killed mid-pass lists its copies on the next start.
 */
export class WatchLog {
  constructor(private readonly db: Db) {}

  get(pairId: number): WatchRow | null {
    const r = this.db.prepare('SELECT * FROM watch_pair WHERE pair_id = ?').get(pairId) as RawWatchRow | undefined;
    if (!r) return null;
    return {
      loggedUntil: r.logged_until,
      lastCheckedAt: r.last_checked_at,
      switchSeenAt: r.switch_seen_at,
      oldMxTtl: r.old_mx_ttl,
      compare: r.compare_at !== null && r.compare_missing !== null ? { at: r.compare_at, missing: r.compare_missing } : null,
      state: r.state,
      lastError: r.last_error,
    };
  }

  /** The first watch of a pair lists what is copied from now on (the first copy is not the watch's). */
  begin(pairId: number, now: number): WatchRow {
    this.db.prepare('INSERT INTO watch_pair (pair_id, logged_until) VALUES (?, ?) ON CONFLICT (pair_id) DO NOTHING').run(pairId, now);
    return this.get(pairId)!;
  }

  /** Copies made since the last collection (real time of the APPEND's completion) and not listed yet. */
  newCopies(pairId: number, since: number, limit: number): NewCopy[] {
    const rows = this.db
      .prepare(
        `SELECT t.target_path, t.target_uidvalidity, t.target_uid, t.source_path, t.source_uid, t.copied_at, m.subject, m.internal_date
         FROM target_copy t
         LEFT JOIN folder_pair f ON f.pair_id = t.pair_id AND f.source_path = t.source_path
         LEFT JOIN message m ON m.folder_id = f.id AND m.source_uid = t.source_uid
         WHERE t.pair_id = ? AND t.copied_at >= ?
           AND NOT EXISTS (SELECT 1 FROM watch_copy w WHERE w.pair_id = t.pair_id AND w.target_path = t.target_path
                           AND w.target_uidvalidity = t.target_uidvalidity AND w.target_uid = t.target_uid)
         ORDER BY t.copied_at
         LIMIT ?`,
      )
      .all(pairId, since, limit) as { target_path: string; target_uidvalidity: number; target_uid: number; source_path: string; source_uid: number; copied_at: number; subject: string | null; internal_date: number | null }[];
    return rows.map((r) => ({
      targetPath: r.target_path,
      targetUidValidity: r.target_uidvalidity,
      targetUid: r.target_uid,
      sourcePath: r.source_path,
      sourceUid: r.source_uid,
      copiedAt: r.copied_at,
      subject: r.subject,
      internalDate: r.internal_date,
    }));
  }

  /**
   * Lists the collected copies and moves the collection mark past them, in one transaction (a kill
   * before it: collected again next time; after it: never twice, the key is the target copy).
   */
  record(pairId: number, copies: (NewCopy & { subject: string; sender: string; receivedAt: number | null })[], late: boolean, loggedAt: number): number {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO watch_copy (pair_id, target_path, target_uidvalidity, target_uid, source_path, source_uid, subject, sender, received_at, copied_at, logged_at, late)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let added = 0;
    this.db.transaction(() => {
      for (const c of copies) {
        added += insert.run(pairId, c.targetPath, c.targetUidValidity, c.targetUid, c.sourcePath, c.sourceUid, c.subject, c.sender, c.receivedAt, c.copiedAt, loggedAt, late ? 1 : 0).changes;
      }
      const until = copies.reduce((m, c) => Math.max(m, c.copiedAt), 0);
      if (until > 0) this.db.prepare('UPDATE watch_pair SET logged_until = MAX(logged_until, ?) WHERE pair_id = ?').run(until, pairId);
    })();
    return added;
  }

  checked(pairId: number, at: number): void {
    this.db.prepare('UPDATE watch_pair SET last_checked_at = ? WHERE pair_id = ?').run(at, pairId);
  }

  /** The switch as a person recorded it (replaces what was noted before). */
  setSwitch(pairId: number, at: number): void {
    this.db.prepare('UPDATE watch_pair SET switch_seen_at = ? WHERE pair_id = ?').run(at, pairId);
  }

  /** The switch is noted once: later sightings do not move it. */
  switchSeen(pairId: number, at: number): void {
    this.db.prepare('UPDATE watch_pair SET switch_seen_at = COALESCE(switch_seen_at, ?) WHERE pair_id = ?').run(at, pairId);
  }

  /** The old MX's TTL, kept from checks made before the switch (the longest seen). */
  oldMxTtl(pairId: number, ttl: number): void {
    this.db.prepare('UPDATE watch_pair SET old_mx_ttl = MAX(COALESCE(old_mx_ttl, 0), ?) WHERE pair_id = ?').run(ttl, pairId);
  }

  compared(pairId: number, at: number, missing: number): void {
    this.db.prepare('UPDATE watch_pair SET compare_at = ?, compare_missing = ? WHERE pair_id = ?').run(at, missing, pairId);
  }

  /** The last state a watch ended in ('stopped' / 'failed') and its error (JSON, code and facts only). */
  ended(pairId: number, state: 'stopped' | 'failed', error: string | null): void {
    this.db.prepare('UPDATE watch_pair SET state = ?, last_error = ? WHERE pair_id = ?').run(state, error, pairId);
  }

  copiedTotal(pairId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM watch_copy WHERE pair_id = ?').get(pairId) as { n: number }).n;
  }

  /** Late arrivals: how many, the last time one was logged, and the latest `limit` of them. */
  lateArrivals(pairId: number, limit: number): { count: number; lastAt: number | null; items: LateArrival[] } {
    const head = this.db.prepare('SELECT COUNT(*) AS n, MAX(logged_at) AS last FROM watch_copy WHERE pair_id = ? AND late = 1').get(pairId) as { n: number; last: number | null };
    const rows = this.db
      .prepare('SELECT source_path, subject, sender, received_at FROM watch_copy WHERE pair_id = ? AND late = 1 ORDER BY logged_at DESC, copied_at DESC LIMIT ?')
      .all(pairId, limit) as { source_path: string; subject: string; sender: string; received_at: number | null }[];
    return {
      count: head.n,
      lastAt: head.last,
      items: rows.map((r) => ({ folder: r.source_path, subject: r.subject, from: r.sender, receivedAt: r.received_at === null ? null : new Date(r.received_at).toISOString() })),
    };
  }
}
