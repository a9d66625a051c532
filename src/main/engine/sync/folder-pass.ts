import type { FolderSummary, MessageRef } from '../../../shared/sync-types.js';
import { carryFlags } from './carry-flags.js';
import type { PlannedSizes } from './copy-plan.js';
import { isCancelled, type CopyItem } from './copy-shared.js';
import type { CopyRun, PassConnections } from './copy-run.js';
import { decideMessages, type Decisions } from './decide-messages.js';
import { FolderJournal } from './folder-journal.js';
import { lookAtFolder, type FolderLook } from './look-at-folder.js';
import { PassReport } from './pass-report.js';
import { ProgressMeter } from './progress-meter.js';
import { storeAll } from './store-batches.js';

export interface FolderResult {
  summary: FolderSummary;
  skipped: MessageRef[];
  failed: MessageRef[];
  /** The pass stopped early on request; `summary` counts what was done until then. */
  cancelled: boolean;
}

/**
 * One pass over one folder pair, in the order of the journal's rule: look at the folder → decide
 * per message → record intents → store → record completions → carry flags → save the snapshot.
 * Safe to run again at any point (a retry after a reconnect, a rerun after a kill): every APPEND
 * is preceded by a committed intent, and intents left over by a killed run are resolved by
 * looking on the target before anything is sent again.
 */
export class FolderPass {
  private readonly report: PassReport;

  constructor(
    private readonly run: CopyRun,
    private readonly io: PassConnections,
    private readonly sourcePath: string,
    private readonly targetPath: string,
    /** The folder's sizes as the run's plan read them (reused while the folder is unchanged). */
    private readonly planned?: PlannedSizes,
  ) {
    this.report = new PassReport(sourcePath, targetPath, run.copied.get(sourcePath) ?? 0, 0);
  }

  async copy(): Promise<FolderResult> {
    try {
      return await this.steps();
    } finally {
      // What this attempt copied counts for the next attempt after a reconnect.
      this.run.copied.set(this.sourcePath, this.report.summary.copied);
    }
  }

  private async steps(): Promise<FolderResult> {
    const look = await lookAtFolder(this.run, this.io, this.sourcePath, this.targetPath, this.planned);
    const journal = new FolderJournal(this.run.journal, look.folder, { path: look.tgt.path, uidValidity: look.tgt.uidValidity });
    const decisions = await decideMessages(this.run, this.io, look, journal, this.report);
    const meter = this.startProgress(look, journal, decisions);
    try {
      // Steps 3–5, batch by batch: record intents → store → record completions. First what the
      // journal knew, then the new messages page by page (decided as their envelopes arrive).
      const job = { run: this.run, io: this.io, journal, tgt: look.tgt, report: this.report, meter };
      await storeAll(job, [...batches(decisions.toCopy, this.run.settings.batchBytes)]);
      // The next page's envelopes are read while this page is stored.
      const pages = look.freshPages();
      let next = pages.next();
      for (;;) {
        const page = await next;
        if (page.done) break;
        const { toCopy, found } = decisions.decidePage(page.value);
        // Found on the target already: on the target, like the ones the journal knew as done.
        this.report.summary.alreadyPresent += found.messages;
        meter.found(found.messages, found.bytes);
        next = pages.next();
        // Awaited in the next round; a failure must not surface as an unhandled rejection meanwhile.
        next.catch(() => undefined);
        await storeAll(job, [...batches(toCopy, this.run.settings.batchBytes)]);
      }
    } catch (err) {
      // Cancelled: what was stored is recorded; report it, and leave the rest for the next run.
      if (isCancelled(err)) {
        this.report.summary.failed = this.report.failed.length;
        this.run.emit({ type: 'folder-progress', progress: meter.snapshot() });
        return { summary: this.report.summary, skipped: [], failed: this.report.failed, cancelled: true };
      }
      throw err;
    }
    decisions.finish();
    // Order matters: every completion above is committed before any flag is stored below.
    if (this.report.storeLater.length > 0 || look.flagChanges.some((c) => c.targetUid !== null)) await this.run.crash?.('before-flags-store');
    await carryFlags(this.run, this.io.target, look.tgt, journal, this.report, look.flagChanges);
    await this.saveSnapshot(look, journal);
    return this.finish(look, journal);
  }

  /**
   * Where this folder's progress starts: what is on the target already (copied before, found
   * there, or copied by an earlier attempt of this run).
   */
  private startProgress(look: FolderLook, journal: FolderJournal, decisions: Decisions): ProgressMeter {
    const { summary } = this.report;
    const onTarget = journal.doneAmong(look.sizes);
    // Copies that vanished from the target are still `done` in the journal until copied again: not there.
    for (const c of decisions.toCopy) {
      const size = decisions.vanished.has(c.row.sourceUid) ? look.sizes.get(c.row.sourceUid) : undefined;
      if (size === undefined) continue;
      onTarget.messages--;
      onTarget.bytes -= size;
    }
    const copiedEarlier = this.run.copied.get(this.sourcePath) ?? 0;
    summary.alreadyPresent = Math.max(0, onTarget.messages - copiedEarlier);
    summary.total = look.sizes.size;
    const meter = new ProgressMeter(this.sourcePath, this.targetPath, look.sizes.size, sum(look.sizes.values()), onTarget, this.run.overall);
    this.run.emit({ type: 'folder-start', progress: meter.snapshot() });
    return meter;
  }

  /** Step 7: remember what the source looked like, so an unchanged folder is skipped next time. */
  private async saveSnapshot(look: FolderLook, journal: FolderJournal): Promise<void> {
    const { src, tgt, sizes } = look;
    const clean = journal.unsettled() === 0;
    const done = journal.doneAmong(sizes);
    journal.saveSnapshot(
      {
        sourceUidValidity: src.uidValidity,
        targetUidValidity: tgt.uidValidity,
        seenUidNext: src.uidNext,
        seenModseq: src.highestModseq,
        seenMessages: src.exists,
        targetSeenUidNext: (await this.io.target.select(this.targetPath)).uidNext,
        seenBytes: sum(sizes.values()),
        seenDone: done.messages,
      },
      clean,
    );
  }

  private finish(look: FolderLook, journal: FolderJournal): FolderResult {
    const { summary, failed } = this.report;
    const skipped = journal.skippedRefs();
    // Refusals from earlier attempts of this run (before a reconnect) belong in this folder's report.
    for (const [key, ref] of this.run.refused) {
      if (key.startsWith(`${this.sourcePath}\0`) && !failed.some((f) => f.uid === ref.uid)) failed.push(ref);
    }
    summary.failed = failed.length;
    summary.skipped = skipped.length;
    const done = journal.doneAmong(look.sizes);
    const { overall } = this.run;
    overall?.folderDone(this.sourcePath, done.messages, done.bytes);
    overall?.folderFinished(summary.failed, summary.skipped);
    this.run.emit({ type: 'folder-done', summary });
    if (overall) this.run.emit({ type: 'overall', progress: overall.snapshot() });
    return { summary, skipped, failed, cancelled: false };
  }
}

/** Batches of at most `maxBytes` (and 500 messages): what one FETCH brings and one MULTIAPPEND stores. */
function* batches(items: CopyItem[], maxBytes: number): Generator<CopyItem[]> {
  let batch: CopyItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (batch.length > 0 && (bytes + item.row.size > maxBytes || batch.length >= 500)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.row.size;
  }
  if (batch.length > 0) yield batch;
}

function sum(values: Iterable<number>): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}
