import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvent, CutoverApi, MailAccountInput, MailAccountRef, SyncChoices, TargetInput, TargetRef } from '../../shared/app-api.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { FolderProgress, FolderSummary, MessageRef, OverallProgress, PairStatus, SyncPlan, SyncSummary } from '../../shared/sync-types.js';
import { problemOf } from '../api/problem-of.js';
import { ApiError } from '../api/web-client.js';

/** How often a page following a running copy checks that Cutover is still there. */
const CHECK_EVERY_MS = 4_000;

export interface CopyJob {
  /** What Cutover knows about the pair (running job, or the partial state from its database). */
  status: PairStatus | null;
  jobId: string | null;
  plan: SyncPlan | null;
  overall: OverallProgress | null;
  /** Latest progress of each folder this run started, in the order they started. */
  folders: FolderProgress[];
  /** Folders this run finished, by source folder. */
  finished: Record<string, FolderSummary>;
  failed: MessageRef[];
  /** The server slowed the copy down, or a connection dropped and is being made again (until progress resumes). */
  notice: CopyNotice | null;
  summary: SyncSummary | null;
  error: CutoverErrorData | null;
  /** Cutover (the app's engine or the web host) does not answer. */
  lost: boolean;
  /** When the running copy started, on this computer's clock (from its elapsed time). */
  startedAt: number | null;
  start: (source: MailAccountInput, target: TargetInput, choices: SyncChoices) => Promise<void>;
  pause: () => Promise<void>;
  /** Asks Cutover again what it knows about the pair. */
  refresh: () => Promise<PairStatus | null>;
}

export type CopyNotice = { kind: 'throttled'; waitSeconds: number } | { kind: 'reconnecting'; attempt: number };

/** Folder progress in the order folders started; a folder seen again keeps its place. */
function withFolder(list: FolderProgress[], p: FolderProgress): FolderProgress[] {
  const i = list.findIndex((f) => f.folder === p.folder);
  if (i < 0) return [...list, p];
  const next = [...list];
  next[i] = p;
  return next;
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
  const [folders, setFolders] = useState<FolderProgress[]>([]);
  const [finishedFolders, setFinishedFolders] = useState<Record<string, FolderSummary>>({});
  const [failed, setFailed] = useState<MessageRef[]>([]);
  const [notice, setNotice] = useState<CopyNotice | null>(null);
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
        setFolders(s.running.folders);
        setFinishedFolders({});
        setFailed(s.running.failed);
        setSummary(null);
        setError(null);
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
          // The engine's count only grows; an event overtaken by a later one never moves the bar back.
          setOverall((o) => (o && o.messagesDone > ev.progress.messagesDone ? { ...ev.progress, messagesDone: o.messagesDone, bytesDone: Math.max(o.bytesDone, ev.progress.bytesDone) } : ev.progress));
          setStartedAt((t) => t ?? Date.now() - ev.progress.elapsedMs);
        } else if (ev.type === 'folder-start' || ev.type === 'folder-progress') {
          setFolders((f) => withFolder(f, ev.progress));
          // Messages are moving again: the slow-down or the reconnect is over.
          if (ev.type === 'folder-progress') setNotice(null);
        } else if (ev.type === 'message-failed') setFailed((f) => [...f, ev.message]);
        else if (ev.type === 'throttled') setNotice({ kind: 'throttled', waitSeconds: ev.waitSeconds });
        else if (ev.type === 'reconnecting') setNotice((n) => (n?.kind === 'throttled' ? n : { kind: 'reconnecting', attempt: ev.attempt }));
        else if (ev.type === 'folder-done') setFinishedFolders((f) => ({ ...f, [ev.summary.source]: ev.summary }));
      }),
    [api, follow, refresh],
  );

  // While a copy runs (here or in another Cutover), make sure Cutover is still there; when it comes
  // back, or the other copy ends, take up what it says.
  const elsewhere = status?.elsewhere != null;
  useEffect(() => {
    if (jobId === null && !lost && !elsewhere) return;
    const timer = setInterval(() => void refresh(), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [jobId, lost, elsewhere, refresh]);

  const start = async (src: MailAccountInput, tgt: TargetInput, choices: SyncChoices): Promise<void> => {
    setError(null);
    setNotice(null);
    try {
      const info = await api.startSync(src, tgt, choices);
      if (!info.attached) {
        setSummary(null);
        setFailed([]);
        setFolders([]);
        setFinishedFolders({});
        setPlan(null);
        setOverall(null);
        setStartedAt(Date.now());
        follow(info.id);
      } else await refresh();
    } catch (err) {
      setError(problemOf(err));
    }
  };

  const pause = async (): Promise<void> => {
    if (jobRef.current) await api.cancelJob(jobRef.current);
  };

  return { status, jobId, plan, overall, folders, finished: finishedFolders, failed, notice, summary, error, lost, startedAt, start, pause, refresh };
}

/** Seconds since `since`, ticking every second while there is a `since`. */
export function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, (now - since) / 1000);
}
