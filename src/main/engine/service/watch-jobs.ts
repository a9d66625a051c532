import { randomUUID } from 'node:crypto';
import type { ApiEvent } from '../../../shared/app-api.js';
import { isCutoverError, type CutoverErrorData } from '../../../shared/errors.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { WatchStarted, WatchState, WatchStatus } from '../../../shared/watch-types.js';
import type { EventLog } from '../log/event-log.js';
import { pairKeys } from '../sync/pair-keys.js';
import { holdPair } from '../sync/pair-status.js';
import { runWatch, type WatchRun } from '../watch/run-watch.js';
import { recordSwitch, watchStatusOf } from '../watch/watch-status.js';

type Endpoint = Pick<ImapEndpoint, 'host' | 'port' | 'user'>;

interface Job {
  id: string;
  pairKey: string;
  controller: AbortController;
  state: WatchState;
  error: CutoverErrorData | null;
}

/**
 * The watches running in this engine service, one per mailbox pair (like SyncJobs): a second start
 * of a watched pair attaches to it; a pair another process holds is refused with `pair-busy`.
 */
export class WatchJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly stateDir: string,
    private readonly emit: (event: ApiEvent) => void,
    private readonly log: EventLog,
  ) {}

  start(req: Omit<WatchRun, 'stateDir' | 'signal' | 'onEvent' | 'onState' | 'lease'>, label: Record<string, unknown>): WatchStarted {
    const pairKey = keyOf(req.source.endpoint, req.target.endpoint);
    const running = [...this.jobs.values()].find((j) => j.pairKey === pairKey);
    if (running) return { jobId: running.id, attached: true };
    const id = randomUUID();
    const controller = new AbortController();
    // Taken before answering, so a busy pair is reported at once (pair-busy with pid and start).
    const held = holdPair(this.stateDir, req.source.endpoint, req.target.endpoint, 'watch', () => controller.abort());
    const job: Job = { id, pairKey, controller, state: 'catching-up', error: null };
    this.jobs.set(id, job);
    this.log.write('watch-started', { job: id, ...label });
    void runWatch({
      ...req,
      stateDir: this.stateDir,
      lease: held.lease,
      signal: controller.signal,
      onState: (state) => (job.state = state),
      onEvent: (event) => {
        if (event.type === 'problem') job.error = event.error;
        else if (event.type === 'checked') job.error = null;
        if (event.type === 'copied' || event.type === 'switch-seen' || event.type === 'problem' || event.type === 'safe-to-close') this.log.write('watch-event', { job: id, ...flat(event) });
        this.emit({ type: 'watch-event', jobId: id, event });
      },
    })
      .then(
        (end) => end,
        (err: unknown) => ({ reason: 'failed' as const, error: isCutoverError(err) ? err.toData() : { code: 'internal' as const, message: (err as Error)?.message ?? String(err), retryable: false } }),
      )
      .then((end) => {
        // Order matters: the pair is free before the job is gone, so a start right after is not refused by this job.
        held.release();
        this.jobs.delete(id);
        this.log.write('watch-stopped', { job: id, reason: end.reason, code: end.error?.code ?? null });
      });
    return { jobId: id, attached: false };
  }

  stop(jobId: string): void {
    this.jobs.get(jobId)?.controller.abort();
  }

  status(source: Endpoint, target: Endpoint): WatchStatus {
    const pairKey = keyOf(source, target);
    const job = [...this.jobs.values()].find((j) => j.pairKey === pairKey);
    return watchStatusOf(this.stateDir, source, target, job ? { jobId: job.id, state: job.state, error: job.error } : null);
  }

  recordSwitch(source: Endpoint, target: Endpoint, at: number): WatchStatus {
    recordSwitch(this.stateDir, source, target, at);
    return this.status(source, target);
  }
}

function keyOf(source: Endpoint, target: Endpoint): string {
  const { sourceKey, targetKey } = pairKeys(source, target);
  return `${sourceKey}\0${targetKey}`;
}

/** An event for the log: facts only (late arrivals' subjects and senders stay in the state database). */
function flat(event: { type: string } & Record<string, unknown>): Record<string, unknown> {
  const { type, error, ...rest } = event as { type: string; error?: CutoverErrorData } & Record<string, unknown>;
  return { type, ...rest, ...(error ? { code: error.code } : {}) };
}
