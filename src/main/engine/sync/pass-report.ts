import type { FolderSummary, MessageRef } from '../../../shared/sync-types.js';

/** Flags a copy gets by STORE after its APPEND (see append-flags.ts). */
export interface DeferredFlags {
  sourceUid: number;
  targetUid: number;
  flags: string[];
  /** The source's flags, recorded in the journal once the STORE succeeded. */
  sourceFlags: string;
}

/** What one folder pass did, filled in by its steps (no out-parameters). */
export class PassReport {
  readonly summary: FolderSummary;
  /** Messages the target refused (or whose flags it refused) in this pass. */
  readonly failed: MessageRef[] = [];
  /** Flags to set once the copies have their UIDs, after their completions are recorded. */
  readonly storeLater: DeferredFlags[] = [];

  constructor(source: string, target: string, copiedEarlier: number, total: number) {
    this.summary = { source, target, copied: copiedEarlier, alreadyPresent: 0, flagsUpdated: 0, failed: 0, skipped: 0, total, keywordsNotKept: {} };
  }

  /** Keywords the target folder cannot keep, counted per message that carried them. */
  dropped(flags: string[]): void {
    for (const flag of flags) this.summary.keywordsNotKept[flag] = (this.summary.keywordsNotKept[flag] ?? 0) + 1;
  }

  copied(count: number): void {
    this.summary.copied += count;
  }

  refused(ref: MessageRef): void {
    this.failed.push(ref);
  }
}
