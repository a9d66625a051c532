import { mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CutoverError } from '../../../shared/errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/**
 * The native module to load instead of node_modules' own build: the desktop app's worker runs under
 * Electron's Node ABI and sets its Electron build here once, before any database is opened
 * (src/main/app/native-sqlite.ts). The CLI, the web host and the tests never set it.
 */
let nativeBinding: string | null = null;

export function useNativeBinding(path: string | null): void {
  nativeBinding = path;
}

/**
 * Opens (creating if needed) the state database in `stateDir`. WAL lets a reader (the UI)
 * look while the sync writes; synchronous=NORMAL in WAL mode never corrupts on a killed process,
 * and every commit that returned survives it.
 */
export function openDatabase(stateDir: string): Db {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, 'cutover.sqlite');
  let db: Db;
  try {
    db = new Database(file, nativeBinding ? { nativeBinding } : {});
    chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    throw new CutoverError(
      { code: 'state-corrupt', message: `The state database ${file} cannot be opened: ${(err as Error).message}.`, retryable: false },
      { cause: err },
    );
  }
  return db;
}

/**
 * A private scratch database for one job's index (a comparison's facts): SQLite's temporary
 * on-disk database (empty file name), whose file it deletes itself when closed or when the process
 * dies. Its pages stay in a small cache and spill to that file, so what it holds does not grow the
 * process's memory with the mailbox. Nothing in it is meant to survive: no syncs, and the
 * rollback journal in memory.
 */
export function openScratchDatabase(cacheKiB = 2 * 1024): Db {
  const db = new Database('', nativeBinding ? { nativeBinding } : {});
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${Math.max(64, Math.floor(cacheKiB))}`);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`it was written by a newer Cutover (schema ${current}, this version knows ${MIGRATIONS.length})`);
  }
  // Order matters: the version is read again inside a write transaction (BEGIN IMMEDIATE), so two
  // processes opening a new database at once never both run the same step ("table already exists").
  const step = db.transaction((): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[version]!);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate());
}
