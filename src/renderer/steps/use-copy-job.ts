import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvent, CutoverApi, MailAccountInput, MailAccountRef, SyncChoices, TargetInput, TargetRef } from '../../shared/app-api.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { FolderProgress, MessageRef, OverallProgress, PairStatus, SyncPlan, SyncSummary } from '../../shared/sync-types.js';
import { ApiError } from '../api/web-client.js';

/** How often a page following a running copy checks that Cutover is still there. */
const CHECK_EVERY_MS = 4_000;

export interface CopyJob {
  /** What Cutover knows about the pair (running job, or the partial state from its database). */
  status: PairStatus | null;
  jobId: string | null;
  plan: SyncPlan | null;
  overall: OverallProgress | null;
  folders: Record<string, FolderProgress>;
  failed: MessageRef[];
  notice: string | null;
  summary: SyncSummary | null;
  error: CutoverErrorData | null;
  /** Cutover (the app's engine or the web host) does not answer. */
  lost: boolean;
  /** When the running copy started, on this computer's clock (from its elapsed time). */
  startedAt: number | null;
  start: (source: MailAccountInput, target: TargetInput, choices: SyncChoices) => Promise<void>;
  pause: () => Promise<void>;
}

/**
 * The copy of one mailbox pair as the page follows it. On load it asks Cutover for the pair's
 * status: a copy running there is attached to (its progress so far, then its live events; Pause
 * works on it), otherwise the partial state from the state database is shown. While a copy runs
 * it checks every few seconds that Cutover still answers, says so when it does not, and picks the
 * copy (or its partial state) up again when Cutover is back.
 */
export function useCopyJob(api: CutoverApi, source: MailAccountRef | null, target: TargetRef | null, onFinished: (summary: SyncSummary, status: PairStatus | null) => void): CopyJob {
  const [status, setStatus] = useState<PairStatus | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [plan, setPlan] = useState<SyncPlan | null>(null);
  const [overall, setOverall] = useState<OverallProgress | null>(null);
  const [folders, setFolders] = useState<Record<string, FolderProgress>>({});
  const [failed, setFailed] = useState<MessageRef[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [summary, setSummary] = useState<SyncSummary | null>(null);
  const [error, setError] = useState<CutoverErrorData | null>(null);
  const [lost, setLost] = useState(false);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const jobRef = useRef<string | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  const follow = useCallback((id: string | null): void => {
    jobRef.current = id;
    setJobId(id);
  }, []);

  /** Takes over what Cutover reports: the running job's progress so far, or the stored state. */
  const refresh = useCallback(async (): Promise<PairStatus | null> => {
    if (!source || !target) return null;
    let s: PairStatus;
    try {
      s = await api.syncStatus(source, target);
    } catch (err) {
      if (err instanceof ApiError && err.data.code === 'connection-lost') setLost(true);
      return null;
    }
    setLost(false);
    setStatus(s);
    if (s.running) {
      if (jobRef.current !== s.running.id) {
        follow(s.running.id);
        setPlan(s.running.plan);
        setOverall(s.running.overall);
        setStartedAt(Date.now() - (s.running.overall?.elapsedMs ?? 0));
        setFolders(Object.fromEntries(s.running.folders.map((f) => [f.folder, f])));
        setFailed(s.running.failed);
        setSummary(null);
      }
    } else if (jobRef.current !== null) {
      // The job ended while the page was away (or Cutover restarted): show what is known now.
      follow(null);
      if (s.lastSummary) setSummary(s.lastSummary);
    } else if (s.lastSummary) {
      setSummary((current) => current ?? s.lastSummary);
    }
    return s;
  }, [api, source, target, follow]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      api.onEvent((e: ApiEvent) => {
        if ((e.type !== 'sync' && e.type !== 'sync-finished') || e.jobId !== jobRef.current) return;
        if (e.type === 'sync-finished') {
          follow(null);
          if (e.error) setError(e.error);
          if (e.summary) {
            const done = e.summary;
            setSummary(done);
            void refresh().then((s) => finished.current(done, s));
          } else void refresh();
          return;
        }
        const ev = e.event;
        if (ev.type === 'plan') setPlan(ev.plan);
        else if (ev.type === 'overall') {
          setOverall(ev.progress);
          setStartedAt((t) => t ?? Date.now() - ev.progress.elapsedMs);
        }
        else if (ev.type === 'folder-start' || ev.type === 'folder-progress') setFolders((f) => ({ ...f, [ev.progress.folder]: ev.progress }));
        else if (ev.type === 'message-failed') setFailed((f) => [...f, ev.message]);
        else if (ev.type === 'throttled') setNotice(`The server asked us to slow down; waiting ${ev.waitSeconds} seconds.`);
        else if (ev.type === 'reconnecting') setNotice(`The connection dropped; reconnecting (attempt ${ev.attempt}).`);
        else if (ev.type === 'folder-done') {
          setFolders((f) => {
            const p = f[ev.summary.source];
            return p ? { ...f, [ev.summary.source]: { ...p, messagesDone: ev.summary.alreadyPresent + ev.summary.copied, etaSeconds: 0 } } : f;
          });
        }
      }),
    [api, follow, refresh],
  );

  // While a copy runs, make sure Cutover is still there; when it comes back, take up what it says.
  useEffect(() => {
    if (jobId === null && !lost) return;
    const timer = setInterval(() => void refresh(), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [jobId, lost, refresh]);

  const start = async (src: MailAccountInput, tgt: TargetInput, choices: SyncChoices): Promise<void> => {
    setError(null);
    setNotice(null);
    try {
      const info = await api.startSync(src, tgt, choices);
      if (!info.attached) {
        setSummary(null);
        setFailed([]);
        setFolders({});
        setPlan(null);
        setOverall(null);
        setStartedAt(Date.now());
        follow(info.id);
      } else await refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.data : { code: 'internal', message: err instanceof Error ? err.message : String(err), retryable: false });
    }
  };

  const pause = async (): Promise<void> => {
    if (jobRef.current) await api.cancelJob(jobRef.current);
  };

  return { status, jobId, plan, overall, folders, failed, notice, summary, error, lost, startedAt, start, pause };
}

/** Seconds since `since`, ticking every second while there is a `since`. */
export function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, (now - since) / 1000);
}
