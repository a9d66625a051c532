import { openDatabase, type Db } from './open-database.js';
import { WatchLog } from './watch-log.js';
import { PairLease, type LeaseHolder, type LeasePurpose } from './pair-lease.js';
import { PairState } from './pair-state.js';
import { PimState } from './pim-state.js';
import { SyncState } from './sync-state.js';
import { TargetCopies } from './target-copies.js';

/**
 * The one owner of the state database in a process: the host's engine service opens it once and
 * hands it to every job (a copy, a comparison, removing extra copies, contacts and calendar), so
 * no job opens a connection of its own. better-sqlite3 is synchronous, so jobs sharing it never
 * interleave inside a transaction; other processes are kept apart by each pair's lease.
 */
export class StateStore {
  readonly pairs: PairState;
  readonly pim: PimState;
  readonly targetCopies: TargetCopies;
  /** Keep in step: what the pair's watch copied and noted (watch-log.ts). */
  readonly watch: WatchLog;

  private constructor(
    private readonly db: Db,
    /** The folder the database lives in. */
    readonly dir: string,
  ) {
    this.pairs = new PairState(db);
    this.pim = new PimState(db);
    this.targetCopies = new TargetCopies(db);
    this.watch = new WatchLog(db);
  }

  /** Opens (creating and migrating if needed) the database in `stateDir`; `state-corrupt` if it cannot. */
  static open(stateDir: string): StateStore {
    return new StateStore(openDatabase(stateDir), stateDir);
  }

  /** The message journal; with a lease, an intent can only be committed while that lease is held. */
  journal(lease: { pairId: number; token: string } | null = null): SyncState {
    return new SyncState(this.db, lease);
  }

  /** Takes the pair's lease or throws `pair-busy` naming the holder (see pair-lease.ts). */
  acquireLease(pairId: number, purpose: LeasePurpose, options: { onLost?: () => void } = {}): PairLease {
    return PairLease.acquire(this.db, pairId, purpose, options);
  }

  /** Who holds the pair now, or null. */
  leaseHolder(pairId: number): LeaseHolder | null {
    return PairLease.holder(this.db, pairId);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
