import { randomUUID } from 'node:crypto';
import { CutoverError } from '../../../shared/errors.js';
import type { Db } from './open-database.js';

/** What holds a pair: a copy, a repair, removing extra copies, or keeping in step (watch). */
export type LeasePurpose = 'sync' | 'repair' | 'dedupe' | 'watch';

export interface LeaseHolder {
  pid: number;
  purpose: LeasePurpose;
  /** When the holder took the lease (ms since the epoch). */
  since: number;
  heartbeatAt: number;
  /** Held by this very process (the app attaches to its own job instead of starting another). */
  thisProcess: boolean;
}

interface LeaseRow {
  token: string;
  pid: number;
  purpose: LeasePurpose;
  started_at: number;
  heartbeat_at: number;
}

/** How often the holder says it is alive, and after how long without that others may take over. */
export const HEARTBEAT_MS = 1_000;
export const STALE_AFTER_MS = 10_000;

export interface LeaseClock {
  now: () => number;
  pidAlive: (pid: number) => boolean;
}

const REAL_CLOCK: LeaseClock = { now: () => Date.now(), pidAlive };

/**
 * One writer per mailbox pair, across processes. The lease is a row in the state database taken
 * in a write transaction (BEGIN IMMEDIATE, so two processes cannot both see it free). A holder that
 * was killed is taken over at once (its pid is gone); one whose heartbeat is older than
 * STALE_AFTER_MS (a hung process, or a reused pid) too. Nobody ever waits for a lease: a busy pair
 * is reported with its holder at once.
 */
export class PairLease {
  private timer: NodeJS.Timeout | null = null;
  private lost = false;

  private constructor(
    private readonly db: Db,
    readonly pairId: number,
    readonly token: string,
    readonly purpose: LeasePurpose,
    private readonly clock: LeaseClock,
  ) {}

  /** The current holder, or null when the pair is free (or its holder is dead or stale). */
  static holder(db: Db, pairId: number, clock: LeaseClock = REAL_CLOCK): LeaseHolder | null {
    const row = db.prepare('SELECT token, pid, purpose, started_at, heartbeat_at FROM pair_lease WHERE pair_id = ?').get(pairId) as LeaseRow | undefined;
    if (!row || !isLive(row, clock)) return null;
    return { pid: row.pid, purpose: row.purpose, since: row.started_at, heartbeatAt: row.heartbeat_at, thisProcess: row.pid === process.pid };
  }

  /**
   * Takes the lease or throws `pair-busy` with the holder's pid and start time. `onLost` is called
   * when a heartbeat finds the lease taken by another process (this one stalled for too long).
   */
  static acquire(db: Db, pairId: number, purpose: LeasePurpose, options: { onLost?: () => void; clock?: LeaseClock; heartbeat?: boolean } = {}): PairLease {
    const clock = options.clock ?? REAL_CLOCK;
    const token = randomUUID();
    const take = db.transaction((): LeaseHolder | null => {
      const holder = PairLease.holder(db, pairId, clock);
      if (holder) return holder;
      const now = clock.now();
      db.prepare(
        `INSERT INTO pair_lease (pair_id, token, pid, purpose, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (pair_id) DO UPDATE SET token = excluded.token, pid = excluded.pid, purpose = excluded.purpose,
           started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
      ).run(pairId, token, process.pid, purpose, now, now);
      return null;
    });
    const holder = take.immediate();
    if (holder) throw busyError(holder);
    const lease = new PairLease(db, pairId, token, purpose, clock);
    if (options.heartbeat !== false) lease.startHeartbeat(options.onLost ?? (() => undefined));
    return lease;
  }

  /** Still ours? (False once another process took it over.) */
  get held(): boolean {
    if (this.lost) return false;
    const row = this.db.prepare('SELECT token FROM pair_lease WHERE pair_id = ?').get(this.pairId) as { token: string } | undefined;
    return row?.token === this.token;
  }

  /** Says "still alive"; false when the lease is no longer ours. */
  beat(): boolean {
    if (this.lost) return false;
    const res = this.db.prepare('UPDATE pair_lease SET heartbeat_at = ? WHERE pair_id = ? AND token = ?').run(this.clock.now(), this.pairId, this.token);
    if (res.changes === 0) this.lost = true;
    return !this.lost;
  }

  release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.db.open) return;
    this.db.prepare('DELETE FROM pair_lease WHERE pair_id = ? AND token = ?').run(this.pairId, this.token);
  }

  private startHeartbeat(onLost: () => void): void {
    this.timer = setInterval(() => {
      let ok: boolean;
      try {
        ok = this.beat();
      } catch {
        // A busy database (another writer's long transaction) is not a lost lease; try again.
        return;
      }
      if (!ok) {
        if (this.timer) clearInterval(this.timer);
        this.timer = null;
        onLost();
      }
    }, HEARTBEAT_MS);
    // The heartbeat never keeps a process alive on its own.
    this.timer.unref();
  }
}

/** The error a second writer gets: code and facts; the CLI and the app word it. */
export function busyError(holder: LeaseHolder): CutoverError {
  const since = new Date(holder.since).toISOString();
  return new CutoverError({
    code: 'pair-busy',
    message: `Another copy of this mailbox pair is running (pid ${holder.pid}, since ${since}).`,
    retryable: true,
    facts: { pid: holder.pid, since, purpose: holder.purpose, thisProcess: holder.thisProcess },
  });
}

function isLive(row: LeaseRow, clock: LeaseClock): boolean {
  if (clock.now() - row.heartbeat_at > STALE_AFTER_MS) return false;
  return clock.pidAlive(row.pid);
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
