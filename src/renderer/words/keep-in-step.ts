import type { WizardStep } from '../../shared/app-api.js';
import type { SafeToCloseWait, WatchState, WatchStatus } from '../../shared/watch-types.js';
import { dateTime, plural } from './numbers.js';

/** The app's words for the watch ("keep in step"): its state, the late arrivals, and what "safe to close" waits for. */

/** "12:04" today, "30 Nov 2026, 12:04" on another day. */
export function clock(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toDateString() === now.toDateString() ? d.toLocaleTimeString(undefined, { timeStyle: 'short' }) : dateTime(iso);
}

export function watchStateWords(s: Pick<WatchStatus, 'state' | 'lastCheckedAt' | 'elsewhere'>, now?: Date): { title: string; intent: 'success' | 'info' | 'warning' | 'error' } {
  const checked = s.lastCheckedAt ? `, last checked ${clock(s.lastCheckedAt, now)}` : '';
  if (s.elsewhere) return { title: `Another Cutover keeps this pair in step (process ${s.elsewhere.pid}, since ${clock(s.elsewhere.since, now)}).`, intent: 'info' };
  const words: Record<WatchState, { title: string; intent: 'success' | 'info' | 'warning' | 'error' }> = {
    'not-started': { title: 'Not keeping in step yet.', intent: 'info' },
    watching: { title: `In step${checked}.`, intent: 'success' },
    'catching-up': { title: `Copying what arrived${checked}.`, intent: 'info' },
    reconnecting: { title: `The connection broke; trying again${checked}.`, intent: 'warning' },
    stopped: { title: `Stopped: not keeping in step${checked}.`, intent: 'warning' },
    failed: { title: 'Keeping in step stopped with a problem.', intent: 'error' },
  };
  return words[s.state];
}

export function lateArrivalsWords(count: number): string {
  return count === 0 ? 'No message has reached the old server since the switch.' : `${plural(count, 'message', 'messages')} reached the old server after the switch — copied.`;
}

export interface WaitWords {
  text: string;
  fix: { step: WizardStep; label: string } | null;
}

export function waitWords(w: SafeToCloseWait, s: Pick<WatchStatus, 'sweepUntil' | 'lateArrivals'>, now?: Date): WaitWords {
  switch (w) {
    case 'switch-not-seen':
      return { text: 'the switch: Cutover has not yet seen your domain’s MX record point to Microsoft 365.', fix: { step: 'switch-domain', label: 'Switch your domain' } };
    case 'sweep-running':
      return { text: `the last late arrivals: senders may still use the old record${s.sweepUntil ? ` until ${clock(s.sweepUntil, now)}` : ''}; keep Cutover keeping in step until then.`, fix: null };
    case 'late-arrival-within-24h':
      return { text: `a quiet day: the last message reached the old server ${s.lateArrivals.lastAt ? `at ${clock(s.lateArrivals.lastAt, now)}` : 'less than 24 hours ago'}; 24 hours without one are needed.`, fix: null };
    case 'compare-not-complete':
      return { text: 'a comparison that finds nothing missing in the new mailbox.', fix: { step: 'compare', label: 'Compare' } };
  }
}
