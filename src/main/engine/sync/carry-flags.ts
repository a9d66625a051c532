import { CutoverError } from '../../../shared/errors.js';
import type { OpenedFolder } from '../imap/imap-types.js';
import type { TargetWriter } from '../imap/target-writer.js';
import { flagChange, flagsFromText, splitKeptFlags } from '../mail/message-flags.js';
import { throwIfCancelled } from './copy-shared.js';
import type { CopyRun } from './copy-run.js';
import type { FolderJournal } from './folder-journal.js';
import type { FlagChange } from './look-at-folder.js';
import type { PassReport } from './pass-report.js';

/**
 * Step 6 of a folder pass, after every completion is recorded: first the flags new copies get by
 * STORE after their APPEND (Exchange's \Flagged), then the flag changes on the source since they
 * were last carried over (one way: source → target). Each is recorded in the journal only once
 * its STORE succeeded, so a run killed before that does it again next time.
 */
export async function carryFlags(run: CopyRun, target: TargetWriter, tgt: OpenedFolder, journal: FolderJournal, report: PassReport, changes: FlagChange[]): Promise<void> {
  const stored: { sourceUid: number; flags: string }[] = [];
  try {
    for (const later of report.storeLater) {
      throwIfCancelled(run.signal);
      if (await store(target, later.targetUid, { add: later.flags, remove: [] }, journal, report, later.sourceUid)) stored.push({ sourceUid: later.sourceUid, flags: later.sourceFlags });
    }
    for (const change of changes) {
      throwIfCancelled(run.signal);
      if (change.targetUid === null) continue;
      const { kept, dropped } = splitKeptFlags(flagsFromText(change.flags), tgt.permanentFlags);
      report.dropped(dropped);
      const keep = new Set(kept.map((f) => f.toLowerCase()));
      const { add, remove } = flagChange(change.row.flags, change.flags);
      const delta = { add: add.filter((f) => keep.has(f.toLowerCase())), remove: splitKeptFlags(remove, tgt.permanentFlags).kept };
      if (await store(target, change.targetUid, delta, journal, report, change.row.sourceUid)) {
        stored.push({ sourceUid: change.row.sourceUid, flags: change.flags });
        report.summary.flagsUpdated++;
      }
    }
  } finally {
    journal.recordFlags(stored);
  }
}

/** One message's STORE +FLAGS/-FLAGS; false (and reported) when the target refused it. */
async function store(target: TargetWriter, uid: number, delta: { add: string[]; remove: string[] }, journal: FolderJournal, report: PassReport, sourceUid: number): Promise<boolean> {
  try {
    await target.addFlags(uid, delta.add);
    await target.removeFlags(uid, delta.remove);
    return true;
  } catch (err) {
    if (err instanceof CutoverError && err.retryable) throw err;
    report.refused({ folder: journal.source, uid: sourceUid, reason: `flags not updated: ${(err as Error).message}` });
    return false;
  }
}
