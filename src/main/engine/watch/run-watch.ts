import { setTimeout as sleep } from 'node:timers/promises';
import type { DnsReport } from '../../../shared/cutover-day-types.js';
import { CutoverError, type CutoverErrorData } from '../../../shared/errors.js';
import type { SyncEvent } from '../../../shared/sync-types.js';
import type { WatchEvent, WatchState } from '../../../shared/watch-types.js';
import type { ImapAccount } from '../imap/imap-account.js';
import { openDatabase } from '../state/open-database.js';
import { PairLease } from '../state/pair-lease.js';
import { PairState } from '../state/pair-state.js';
import { WatchLog } from '../state/watch-log.js';
import { pairKeys } from '../sync/pair-keys.js';
import { runSync, type SyncRequest } from '../sync/run-sync.js';
import { collectCopies } from './collect-copies.js';
import { idleOnInbox, Wakeup } from './inbox-idle.js';
import { compareDue, safeToClose, sweepUntil } from './sweep.js';

/** A pass over every folder every 5 minutes unless the caller says otherwise (issue 14 §1). */
export const DEFAULT_EVERY_MS = 5 * 60_000;
/** Backoff after a failed pass: 1 s, 2 s, 4 s … up to 5 minutes, for as long as it takes. */
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** An OAuth token that just expired may fail a sign-in once; a password that fails this often is wrong. */
const AUTH_ATTEMPTS = 3;

export interface WatchRun {
  source: ImapAccount;
  target: ImapAccount;
  stateDir: string;
  /** What the copy needs for this target (size limit, Exchange names, connections). */
  sync?: Partial<SyncRequest>;
  everyMs?: number;
  /** Checks the domain's MX now (the caller wires domain, expected MX and resolvers); `everyMs`: how often. */
  dns?: { check: () => Promise<DnsReport>; everyMs: number } | null;
  /** Compares the two mailboxes now (the watch asks when only a comparison keeps "safe to close" back). */
  compare?: (() => Promise<{ missing: number }>) | null;
  /** The pair's lease when the caller took it already; otherwise the watch takes it (`pair-busy` if held). */
  lease?: PairLease;
  /** Time for the sweep verdict (tests pass their own); copies are timed by the database. */
  now?: () => number;
  signal: AbortSignal;
  onEvent: (event: WatchEvent) => void;
  onState?: (state: WatchState) => void;
}

export interface WatchEnd {
  reason: 'requested' | 'lease-lost' | 'failed';
  error: CutoverErrorData | null;
}

/**
 * Keep in step: after the first copy, copies what reaches the old mailbox until stopped. A pass is
 * the ordinary incremental copy (run-sync: unchanged folders cost one STATUS each) over every mapped
 * folder, every `everyMs` and within seconds of an arrival IDLE announces in INBOX. Holds the pair's
 * lease throughout, so no other copy writes meanwhile. Failures back off and try again for as long
 * as it takes (network, server restart, expired token); only a refusal no retry can fix ends it.
 * After each pass: lists what was copied (late arrivals once the switch is seen), checks DNS and,
 * when only that is missing for "safe to close", compares.
 */
export async function runWatch(req: WatchRun): Promise<WatchEnd> {
  const now = req.now ?? (() => Date.now());
  const everyMs = req.everyMs ?? DEFAULT_EVERY_MS;
  const db = openDatabase(req.stateDir);
  const lost = new AbortController();
  let lease: PairLease;
  let pairId: number;
  try {
    const { sourceKey, targetKey } = pairKeys(req.source.endpoint, req.target.endpoint);
    pairId = new PairState(db).ensure(sourceKey, targetKey);
    lease = req.lease ?? PairLease.acquire(db, pairId, 'watch', { onLost: () => lost.abort() });
  } catch (err) {
    db.close();
    throw err;
  }
  // `stop` ends the INBOX IDLE when the loop ends by itself (a failure no retry fixes).
  const stop = new AbortController();
  const signal = AbortSignal.any([req.signal, lost.signal, stop.signal]);
  const log = new WatchLog(db);
  log.begin(pairId, Date.now());
  let state: WatchState | null = null;
  const setState = (s: WatchState): void => {
    if (s === state) return;
    state = s;
    req.onState?.(s);
  };
  const wake = new Wakeup();
  const idle = idleOnInbox(req.source, wake, signal, () => undefined);
  let nextDnsAt = 0;
  let saidSafe = false;
  let failures = 0;
  let authFailures = 0;
  let end: WatchEnd = { reason: 'requested', error: null };
  let started = false;

  try {
    while (!signal.aborted) {
      setState('catching-up');
      try {
        let copied = 0;
        const summary = await runSync({
          ...req.sync,
          source: req.source,
          target: req.target,
          stateDir: req.stateDir,
          lease,
          signal,
          onEvent: (e: SyncEvent) => {
            if (e.type === 'reconnecting') {
              setState('reconnecting');
              req.onEvent({ type: 'reconnecting', attempt: e.attempt, delayMs: e.delayMs, error: e.error });
            }
            else if (e.type === 'folder-start') setState('catching-up');
            else if (e.type === 'message-failed') req.onEvent({ type: 'problem', folder: e.message.folder, error: { code: 'message-refused', message: e.message.reason, retryable: true, facts: { uid: e.message.uid } } });
          },
        });
        if (signal.aborted) break;
        if (!started) {
          started = true;
          req.onEvent({ type: 'started', everySeconds: Math.round(everyMs / 1000), folders: summary.folders.length });
        }
        for (const f of summary.folderErrors) req.onEvent({ type: 'problem', folder: f.folder, error: f.error });
        failures = 0;
        authFailures = 0;

        const row = log.get(pairId)!;
        for (const f of await collectCopies(log, pairId, req.source, row.switchSeenAt !== null, now())) {
          copied += f.count;
          req.onEvent({ type: 'copied', folder: f.folder, count: f.count, afterSwitch: row.switchSeenAt !== null });
          for (const item of f.late) req.onEvent({ type: 'late-arrival', item });
        }
        const checkedAt = now();
        log.checked(pairId, checkedAt);
        req.onEvent({ type: 'checked', at: new Date(checkedAt).toISOString(), copied });

        if (req.dns && now() >= nextDnsAt) {
          nextDnsAt = now() + req.dns.everyMs;
          await checkSwitch(req.dns.check, log, pairId, now, req.onEvent);
        }
        saidSafe = (await judge(req, log, pairId, now, saidSafe)) || saidSafe;
        setState('watching');
        await wake.wait(everyMs, signal);
      } catch (err) {
        if (signal.aborted) break;
        const error = errorData(err);
        const again = error.retryable || (error.code === 'auth-failed' && ++authFailures < AUTH_ATTEMPTS);
        if (!again) {
          end = { reason: 'failed', error };
          break;
        }
        failures++;
        const delayMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
        setState('reconnecting');
        req.onEvent({ type: 'reconnecting', attempt: failures, delayMs, error });
        await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      }
    }
  } finally {
    if (lost.signal.aborted) end = { reason: 'lease-lost', error: new CutoverError({ code: 'pair-busy', message: 'Another process took over this mailbox pair; the watch stopped.', retryable: false, facts: { lost: true } }).toData() };
    // Order matters: IDLE ends before the lease goes, so nothing of this watch outlives its lease.
    stop.abort();
    await idle.catch(() => undefined);
    if (db.open) {
      log.ended(pairId, end.reason === 'failed' ? 'failed' : 'stopped', end.error ? JSON.stringify({ code: end.error.code, facts: end.error.facts ?? {} }) : null);
      if (!req.lease) lease.release();
      db.close();
    }
    setState(end.reason === 'failed' ? 'failed' : 'stopped');
    req.onEvent({ type: 'stopped', reason: end.reason });
  }
  return end;
}

/** One DNS check: notes the old MX's TTL while not switched, and the moment the switch is first seen. */
async function checkSwitch(check: () => Promise<DnsReport>, log: WatchLog, pairId: number, now: () => number, emit: (e: WatchEvent) => void): Promise<void> {
  let report: DnsReport;
  try {
    report = await check();
  } catch (err) {
    emit({ type: 'problem', folder: null, error: errorData(err) });
    return;
  }
  if (report.state !== 'switched') {
    const ttls = report.resolvers.filter((r) => !r.switched && r.ttl !== null && !r.error).map((r) => r.ttl!);
    if (ttls.length) log.oldMxTtl(pairId, Math.max(...ttls));
    return;
  }
  const before = log.get(pairId)!;
  if (before.switchSeenAt !== null) return;
  const at = now();
  log.switchSeen(pairId, at);
  emit({ type: 'switch-seen', at: new Date(at).toISOString(), sweepUntil: new Date(sweepUntil(at, before.oldMxTtl)).toISOString(), oldMxTtl: before.oldMxTtl });
}

/** Compares when only that keeps "safe to close" back; says so once when it becomes safe. Returns whether it is safe now. */
async function judge(req: WatchRun, log: WatchLog, pairId: number, now: () => number, saidSafe: boolean): Promise<boolean> {
  const facts = () => {
    const row = log.get(pairId)!;
    return { now: now(), switchSeenAt: row.switchSeenAt, oldMxTtlSeconds: row.oldMxTtl, lastLateAt: log.lateArrivals(pairId, 0).lastAt, compare: row.compare };
  };
  if (req.compare && compareDue(facts())) {
    try {
      const result = await req.compare();
      log.compared(pairId, now(), result.missing);
    } catch (err) {
      req.onEvent({ type: 'problem', folder: null, error: errorData(err) });
    }
  }
  const verdict = safeToClose(facts());
  if (verdict.ok && !saidSafe) req.onEvent({ type: 'safe-to-close', at: new Date(now()).toISOString() });
  return verdict.ok;
}

function errorData(err: unknown): CutoverErrorData {
  if (err instanceof CutoverError) return err.toData();
  return { code: 'internal', message: (err as Error)?.message ?? String(err), retryable: false };
}
