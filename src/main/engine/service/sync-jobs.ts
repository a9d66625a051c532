import { randomUUID } from 'node:crypto';
import type { ApiEvent, JobInfo } from '../../../shared/app-api.js';
import { CutoverError, isCutoverError, type CutoverErrorData } from '../../../shared/errors.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { MappingRules } from '../../../shared/folder-mapping.js';
import type { FolderProgress, PairStatus, RunningJob, SyncEvent, SyncSummary } from '../../../shared/sync-types.js';
import type { ImapAccount } from '../imap/imap-account.js';
import type { EventLog } from '../log/event-log.js';
import { pairKeys } from '../mail/pair-keys.js';
import type { PairLease } from '../state/pair-lease.js';
import type { StateStore } from '../state/state-store.js';
import { holdPair, storedPairStatus } from '../sync/pair-status.js';
import { runSync, type SyncRequest } from '../sync/run-sync.js';

type Endpoint = Pick<ImapEndpoint, 'host' | 'port' | 'user'>;

const MAX_FAILED_KEPT = 1000;

interface Job {
  id: string;
  pairKey: string;
  controller: AbortController;
  lease: PairLease;
  snapshot: RunningJob;
  folders: Map<string, FolderProgress>;
}

export interface StartRequest {
  source: ImapAccount;
  target: ImapAccount;
  /** Given: checked and saved with the pair; absent: the pair's saved rules. */
  rules?: MappingRules;
  repair: boolean;
  /** Everything else the sync needs for this target (size limit, Exchange names, connections). */
  extras: Partial<SyncRequest>;
  /** For the log: who copies to whom (never a password). */
  label: Record<string, unknown>;
}

/**
 * The copies running in this engine service, one per mailbox pair. A second start of a running
 * pair attaches to it (a reloaded page, a second window); a pair another process holds is refused
 * with its pid and start time. Each job keeps its latest progress, so a page that comes back sees
 * it at once, and the last summary of each pair outlives the job.
 */
export class SyncJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly lastSummaries = new Map<string, SyncSummary>();

  constructor(
    /** The service's state database (opened on first use). */
    private readonly state: () => StateStore,
    private readonly emit: (event: ApiEvent) => void,
    private readonly log: EventLog,
  ) {}

  start(req: StartRequest): JobInfo {
    const pairKey = keyOf(req.source.endpoint, req.target.endpoint);
    const running = [...this.jobs.values()].find((j) => j.pairKey === pairKey);
    if (running) {
      this.log.write('sync-attached', { job: running.id });
      return { id: running.id, attached: true };
    }
    const id = randomUUID();
    const controller = new AbortController();
    let lease: PairLease;
    try {
      lease = holdPair(this.state(), req.source.endpoint, req.target.endpoint, req.repair ? 'repair' : 'sync', () => controller.abort());
    } catch (err) {
      if (isCutoverError(err) && err.code === 'pair-busy') this.log.write('sync-refused-busy', { ...req.label, facts: err.facts ?? {} });
      throw err;
    }
    const job: Job = {
      id,
      pairKey,
      controller,
      lease,
      folders: new Map(),
      snapshot: { id, repair: req.repair, startedAt: new Date().toISOString(), plan: null, overall: null, folders: [], failed: [] },
    };
    this.jobs.set(id, job);
    this.log.write('sync-started', { job: id, ...req.label, repair: req.repair });
    void runSync({
      ...req.extras,
      source: req.source,
      target: req.target,
      state: this.state(),
      rules: req.rules,
      verifyTarget: req.repair,
      lease,
      signal: controller.signal,
      onEvent: (event) => {
        this.follow(job, event);
        this.emit({ type: 'sync', jobId: id, event });
      },
    })
      .then(
        (summary) => {
          this.lastSummaries.set(pairKey, summary);
          this.log.write('sync-finished', { job: id, copied: summary.copied, alreadyPresent: summary.alreadyPresent, failed: summary.failed.length, skipped: summary.skipped.length, folderErrors: summary.folderErrors.map((e) => ({ folder: e.folder, code: e.error.code })), cancelled: summary.cancelled, ms: summary.elapsedMs });
          return { summary, error: null };
        },
        (err: unknown) => {
          const error = dataOf(err);
          this.log.write('sync-failed', { job: id, code: error.code, message: error.message });
          return { summary: null, error };
        },
      )
      .then(({ summary, error }) => {
        // Order matters: the pair is free before anyone hears that the job ended, so a page that
        // starts again right away is never refused by this very job's lease.
        this.jobs.delete(id);
        lease.release();
        this.emit({ type: 'sync-finished', jobId: id, summary, error });
      });
    return { id, attached: false };
  }

  cancel(jobId: string): void {
    this.jobs.get(jobId)?.controller.abort();
  }

  status(source: Endpoint, target: Endpoint): PairStatus {
    const stored = storedPairStatus(this.state(), source, target);
    const pairKey = keyOf(source, target);
    const job = [...this.jobs.values()].find((j) => j.pairKey === pairKey);
    const holder = stored.holder;
    return {
      running: job ? { ...job.snapshot, folders: [...job.folders.values()], failed: [...job.snapshot.failed] } : null,
      elsewhere: holder && !holder.thisProcess ? { pid: holder.pid, since: new Date(holder.since).toISOString(), purpose: holder.purpose } : null,
      known: stored.known,
      done: stored.done,
      failed: stored.failed,
      skipped: stored.skipped,
      folders: stored.folders,
      copiedByCutover: stored.copiedByCutover,
      lastRun: stored.lastRun,
      lastSummary: this.lastSummaries.get(pairKey) ?? null,
    };
  }

  private follow(job: Job, event: SyncEvent): void {
    const s = job.snapshot;
    if (event.type === 'plan') s.plan = event.plan;
    else if (event.type === 'overall') s.overall = event.progress;
    else if (event.type === 'folder-start' || event.type === 'folder-progress') job.folders.set(event.progress.folder, event.progress);
    // Bounded: the full list is in the summary; a returning page needs only the first ones.
    else if (event.type === 'message-failed' && s.failed.length < MAX_FAILED_KEPT) s.failed.push(event.message);
  }
}

function keyOf(source: Endpoint, target: Endpoint): string {
  const { sourceKey, targetKey } = pairKeys(source, target);
  return `${sourceKey}\0${targetKey}`;
}

function dataOf(err: unknown): CutoverErrorData {
  if (isCutoverError(err)) return err.toData();
  return new CutoverError({ code: 'internal', message: (err as Error)?.message ?? String(err), retryable: false }).toData();
}
