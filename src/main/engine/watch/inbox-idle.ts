import { setTimeout as sleep } from 'node:timers/promises';
import { connectReader, type ImapAccount } from '../imap/imap-account.js';
import type { SourceReader } from '../imap/source-reader.js';

/** Servers drop an IDLE left alone for 30 minutes (RFC 2177): it is renewed well before. */
const IDLE_RENEW_MS = 25 * 60_000;
const BACKOFF_MAX_MS = 5 * 60_000;

/**
 * Wakes the pass loop early: the INBOX IDLE calls `now()`, the loop `wait`s for it or for its
 * period to pass, whichever comes first. A wake while the loop is busy is kept for its next wait.
 */
export class Wakeup {
  private pending = false;
  private resolve: (() => void) | null = null;

  now(): void {
    if (this.resolve) {
      const r = this.resolve;
      this.resolve = null;
      r();
    } else {
      this.pending = true;
    }
  }

  /** Resolves 'woken' on `now()`, else after `ms` (or at once when the signal fires). */
  async wait(ms: number, signal: AbortSignal): Promise<'woken' | 'period'> {
    if (this.pending) {
      this.pending = false;
      return 'woken';
    }
    if (signal.aborted) return 'period';
    const woken = new Promise<'woken'>((r) => (this.resolve = () => r('woken')));
    const period = sleep(ms, 'period' as const, { signal }).catch(() => 'period' as const);
    try {
      return await Promise.race([woken, period]);
    } finally {
      this.resolve = null;
    }
  }
}

/**
 * IDLE on the old mailbox's INBOX (opened with EXAMINE: read-only) until the signal fires: every
 * announced arrival wakes the pass loop. A broken connection is opened again with backoff, and once
 * it is back the loop is woken to catch up; a failure here is only reported, never fatal.
 */
export async function idleOnInbox(account: ImapAccount, wake: Wakeup, signal: AbortSignal, onProblem: (err: unknown, attempt: number, delayMs: number) => void): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    let session: SourceReader | null = null;
    try {
      session = await connectReader(account);
      await session.examine('INBOX');
      // Back after a break: what arrived meanwhile was never announced, so a pass catches up now.
      if (failures > 0) wake.now();
      failures = 0;
      while (!signal.aborted) {
        if ((await session.waitForNew(IDLE_RENEW_MS, signal)) === 'new') wake.now();
      }
    } catch (err) {
      if (signal.aborted) break;
      failures++;
      const delayMs = Math.min(1000 * 2 ** (failures - 1), BACKOFF_MAX_MS);
      onProblem(err, failures, delayMs);
      await sleep(delayMs, undefined, { signal }).catch(() => undefined);
    } finally {
      if (session) await session.logout();
    }
  }
}
