import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import { LATE_ARRIVALS_LISTED, type WatchState, type WatchStatus } from '../../../shared/watch-types.js';
import { ERROR_CODES, type CutoverErrorData, type ErrorCode } from '../../../shared/errors.js';
import { openDatabase } from '../state/open-database.js';
import { PairLease } from '../state/pair-lease.js';
import { PairState } from '../state/pair-state.js';
import { WatchLog } from '../state/watch-log.js';
import { pairKeys } from '../sync/pair-keys.js';
import { safeToClose, sweepUntil } from './sweep.js';

type Endpoint = Pick<ImapEndpoint, 'host' | 'port' | 'user'>;

/** The watch running in this process, if any: its live state and last error. */
export interface LiveWatch {
  jobId: string;
  state: WatchState;
  error: CutoverErrorData | null;
}

/** A pair's watch as the state database knows it, with the live watch of this process laid over it. Needs no connection. */
export function watchStatusOf(stateDir: string, source: Endpoint, target: Endpoint, live: LiveWatch | null, now: number = Date.now()): WatchStatus {
  const db = openDatabase(stateDir);
  try {
    const pairs = new PairState(db);
    const { sourceKey, targetKey } = pairKeys(source, target);
    const pairId = pairs.find(sourceKey, targetKey);
    const holder = pairId === null ? null : PairLease.holder(db, pairId);
    const elsewhere = holder && !holder.thisProcess ? { pid: holder.pid, since: new Date(holder.since).toISOString(), purpose: holder.purpose } : null;
    const log = new WatchLog(db);
    const row = pairId === null ? null : log.get(pairId);
    const late = pairId === null ? { count: 0, lastAt: null, items: [] } : log.lateArrivals(pairId, LATE_ARRIVALS_LISTED);
    const stored = row ? storedState(row.state, row.lastError) : { state: 'not-started' as const, error: null };
    const state: WatchState = live ? live.state : elsewhere?.purpose === 'watch' ? 'watching' : stored.state;
    return {
      state,
      jobId: live?.jobId ?? null,
      elsewhere,
      lastCheckedAt: iso(row?.lastCheckedAt ?? null),
      copiedTotal: pairId === null ? 0 : log.copiedTotal(pairId),
      lateArrivals: { count: late.count, lastAt: iso(late.lastAt), items: late.items },
      switchSeenAt: iso(row?.switchSeenAt ?? null),
      sweepUntil: row?.switchSeenAt != null ? new Date(sweepUntil(row.switchSeenAt, row.oldMxTtl)).toISOString() : null,
      lastCompare: row?.compare ? { at: new Date(row.compare.at).toISOString(), missing: row.compare.missing } : null,
      safeToClose: safeToClose({ now, switchSeenAt: row?.switchSeenAt ?? null, oldMxTtlSeconds: row?.oldMxTtl ?? null, lastLateAt: late.lastAt, compare: row?.compare ?? null }),
      error: live ? live.error : stored.error,
    };
  } finally {
    db.close();
  }
}

/** Records when the switch happened (a person says so, for a watch given no domain to check). */
export function recordSwitch(stateDir: string, source: Endpoint, target: Endpoint, at: number): void {
  const db = openDatabase(stateDir);
  try {
    const { sourceKey, targetKey } = pairKeys(source, target);
    const pairId = new PairState(db).ensure(sourceKey, targetKey);
    const log = new WatchLog(db);
    log.begin(pairId, Date.now());
    log.setSwitch(pairId, at);
  } finally {
    db.close();
  }
}

/** How the last watch ended, from its row (the error keeps only code and facts; the edges word it). */
function storedState(state: string | null, lastError: string | null): { state: WatchState; error: CutoverErrorData | null } {
  if (state !== 'failed') return { state: 'stopped', error: null };
  try {
    const parsed = JSON.parse(lastError ?? 'null') as { code?: string; facts?: Record<string, string | number | boolean | null> } | null;
    if (parsed && isErrorCode(parsed.code)) return { state: 'failed', error: { code: parsed.code, message: 'The watch stopped.', retryable: false, facts: parsed.facts ?? {} } };
  } catch {
    // an unreadable row says only that it failed
  }
  return { state: 'failed', error: { code: 'internal', message: 'The watch stopped.', retryable: false } };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
