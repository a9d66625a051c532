import type { SafeToClose, SafeToCloseWait } from '../../../shared/watch-types.js';

/** After the switch, watching goes on for at least this long (issue 14 §3). */
export const SWEEP_MIN_MS = 72 * 3600_000;
/** "Safe to close" needs this long without a late arrival. */
export const QUIET_MS = 24 * 3600_000;

/**
 * When the late-arrival sweep ends: max(2 × the old MX's TTL, 72 h) after the switch was seen.
 * Senders may keep the old MX cached for one TTL, and retry a failed delivery for a while after
 * that, hence twice; an unknown TTL counts as short (72 h covers every usual TTL).
 */
export function sweepUntil(switchSeenAt: number, oldMxTtlSeconds: number | null): number {
  return switchSeenAt + Math.max(2 * (oldMxTtlSeconds ?? 0) * 1000, SWEEP_MIN_MS);
}

export interface SweepFacts {
  now: number;
  switchSeenAt: number | null;
  oldMxTtlSeconds: number | null;
  /** When the last message reached the old server after the switch (when the watch logged it). */
  lastLateAt: number | null;
  /** The last comparison: it counts only when made after the last late arrival (and after the switch). */
  compare: { at: number; missing: number } | null;
}

/**
 * Whether the old mailbox may be closed, and what the verdict still waits for. Pure: the caller
 * passes the time, so tests decide it with any clock.
 */
export function safeToClose(f: SweepFacts): SafeToClose {
  const waitingFor: SafeToCloseWait[] = [];
  if (f.switchSeenAt === null) {
    waitingFor.push('switch-not-seen');
  } else if (f.now < sweepUntil(f.switchSeenAt, f.oldMxTtlSeconds)) {
    waitingFor.push('sweep-running');
  }
  if (f.lastLateAt !== null && f.now - f.lastLateAt < QUIET_MS) waitingFor.push('late-arrival-within-24h');
  if (!compareCovers(f)) waitingFor.push('compare-not-complete');
  return { ok: waitingFor.length === 0, waitingFor };
}

/** A comparison proves the target complete only if nothing was missing and nothing arrived after it. */
export function compareCovers(f: Pick<SweepFacts, 'switchSeenAt' | 'lastLateAt' | 'compare'>): boolean {
  if (!f.compare || f.compare.missing !== 0) return false;
  if (f.switchSeenAt !== null && f.compare.at < f.switchSeenAt) return false;
  return f.lastLateAt === null || f.compare.at >= f.lastLateAt;
}

/** A comparison reads every folder on both sides: the watch makes one at most this often. */
export const COMPARE_EVERY_MS = 3600_000;

/** Whether the watch should compare now: only the comparison is missing, and the last one is not too recent. */
export function compareDue(f: SweepFacts): boolean {
  const verdict = safeToClose(f);
  const onlyCompare = verdict.waitingFor.length === 1 && verdict.waitingFor[0] === 'compare-not-complete';
  return onlyCompare && (f.compare === null || f.now - f.compare.at >= COMPARE_EVERY_MS);
}
