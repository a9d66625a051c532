import { setTimeout as sleep } from 'node:timers/promises';
import { connectAccount, type ImapAccount } from '../imap/imap-account.js';
import type { ImapSession } from '../imap/imap-session.js';

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
 * announced arrival wakes the pass loop. A broken connection is opened again with backoff; the
 * periodic pass covers the gap, so a failure here is only reported, never fatal.
 */
export async function idleOnInbox(account: ImapAccount, wake: Wakeup, signal: AbortSignal, onProblem: (err: unknown) => void): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    let session: ImapSession | null = null;
    try {
      session = await connectAccount(account, 'source');
      await session.open('INBOX', true);
      failures = 0;
      while (!signal.aborted) {
        if ((await session.waitForNew(IDLE_RENEW_MS, signal)) === 'new') wake.now();
      }
    } catch (err) {
      if (signal.aborted) break;
      failures++;
      onProblem(err);
      await sleep(Math.min(1000 * 2 ** (failures - 1), BACKOFF_MAX_MS), undefined, { signal }).catch(() => undefined);
    } finally {
      if (session) await session.logout();
    }
  }
}
