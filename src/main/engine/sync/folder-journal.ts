import type { MessageRef } from '../../../shared/sync-types.js';
import type { AppendedCopy, FolderRow, FolderSnapshot, MessageRow, SyncState } from '../state/sync-state.js';

/**
 * Every journal write of one folder pass, in one place (the state machine itself is in
 * state/sync-state.ts). The rule they follow: an intent is committed before the APPEND it
 * announces; a completion after the target answered; flags set by STORE are recorded only once the
 * STORE succeeded; the snapshot that lets a later run skip the folder comes last.
 */
export class FolderJournal {
  constructor(
    private readonly state: SyncState,
    readonly folder: FolderRow,
    /** The target folder as this pass opened it (completions name their UIDs in it). */
    private readonly target: { path: string; uidValidity: number },
  ) {}

  get source(): string {
    return this.folder.sourcePath;
  }

  /** Order matters: committed before the APPENDs it announces. */
  recordIntents(rows: MessageRow[]): void {
    this.state.recordIntents(this.folder.id, rows);
  }

  /** Messages over the size limit: remembered so every later summary still lists them. */
  recordSkipped(rows: MessageRow[]): void {
    this.state.recordSkipped(this.folder.id, rows);
  }

  /**
   * Messages found on the target instead of being sent (a copy whose completion a killed run never
   * recorded, or mail that was there before): `done`, but not remembered as Cutover's own copies.
   */
  recordFound(firstSeen: MessageRow[], found: AppendedCopy[]): void {
    this.state.recordIntents(this.folder.id, firstSeen);
    this.state.markDone(this.folder.id, found);
  }

  /** Messages this pass appended: `done`, and Cutover's own copies (the only ones extra-copy removal may touch). */
  recordCopied(copies: AppendedCopy[]): void {
    this.state.markCopied(this.folder.id, this.target, copies);
  }

  recordRefused(sourceUid: number, reason: string): void {
    this.state.markFailed(this.folder.id, sourceUid, reason);
  }

  /** The source message vanished (expunged) before it could be copied: drop the intent. */
  forget(sourceUid: number): void {
    this.state.forget(this.folder.id, sourceUid);
  }

  /** Flags now on the target as the source has them (after a successful STORE). */
  recordFlags(updates: { sourceUid: number; flags: string }[]): void {
    this.state.updateFlags(this.folder.id, updates);
  }

  /** Marks the pass clean or not: a later run whose STATUS matches a clean snapshot skips the folder. */
  saveSnapshot(snapshot: FolderSnapshot, clean: boolean): void {
    this.state.saveSnapshot(this.folder.id, snapshot, clean);
  }

  /** Pending or refused messages left: a folder with any is not clean. */
  unsettled(): number {
    return this.state.countUnsettled(this.folder.id);
  }

  /** Done messages among the source's UIDs now, with their bytes. */
  doneAmong(sizes: Map<number, number>): { messages: number; bytes: number } {
    return this.state.doneAmong(this.folder.id, sizes);
  }

  /** The messages of the folder left out because of the size limit, as the summary lists them. */
  skippedRefs(): MessageRef[] {
    return skippedRefs(this.state, this.folder.id, this.folder.sourcePath);
  }
}

/** The messages of a folder left out because of the size limit, as a summary lists them. */
export function skippedRefs(state: SyncState, folderId: number, folder: string): MessageRef[] {
  return state.rowsInState(folderId, 'skipped').map((r) => {
    const ref: MessageRef = { folder, uid: r.sourceUid, reason: r.reason ?? 'skipped', subject: r.subject ?? '', size: r.size };
    if (r.internalDate !== null) ref.date = new Date(r.internalDate).toISOString();
    return ref;
  });
}
