import type { Db } from './open-database.js';

/**
 * The messages Cutover itself appended to a target folder (recorded with their completion, see
 * SyncState.markCopied). Removing extra copies may only ever pick from these.
 */
export class TargetCopies {
  constructor(private readonly db: Db) {}

  uids(pairId: number, targetPath: string, uidValidity: number): Set<number> {
    const rows = this.db
      .prepare('SELECT target_uid FROM target_copy WHERE pair_id = ? AND target_path = ? AND target_uidvalidity = ?')
      .all(pairId, targetPath, uidValidity) as { target_uid: number }[];
    return new Set(rows.map((r) => r.target_uid));
  }

  /**
   * After removing copies from the target: they are no longer Cutover's copies, and journal rows
   * that pointed at them lose their target UID (the next run finds the remaining copy by fingerprint).
   */
  removed(pairId: number, folderId: number, targetPath: string, uidValidity: number, uids: number[]): void {
    const forget = this.db.prepare('DELETE FROM target_copy WHERE pair_id = ? AND target_path = ? AND target_uidvalidity = ? AND target_uid = ?');
    const unpoint = this.db.prepare('UPDATE message SET target_uid = NULL WHERE folder_id = ? AND target_uid = ?');
    this.db.transaction(() => {
      for (const uid of uids) {
        forget.run(pairId, targetPath, uidValidity, uid);
        unpoint.run(folderId, uid);
      }
    })();
  }
}
