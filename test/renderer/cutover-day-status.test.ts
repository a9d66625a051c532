import { describe, expect, it } from 'vitest';
import { wizardStateSchema, type WizardState } from '../../src/shared/app-api.js';
import { cutoverDayStatuses } from '../../src/renderer/shell/cutover-day-status.js';
import { clock } from '../../src/renderer/words/keep-in-step.js';
import { watchStatus } from '../harness/cutover-day-samples.js';

const state = (patch: Partial<WizardState>): WizardState => wizardStateSchema.parse({ step: 'finish', target: { kind: 'm365', user: 'anna@contoso.com' }, ...patch });
const dns = (patch: Partial<NonNullable<WizardState['lastDns']>>) => ({ domain: 'contoso.com', state: 'old' as const, switched: 0, answered: 2, blocking: 0, at: '2026-11-30T12:04:00Z', ...patch });

describe('the cutover day in the stepper', () => {
  it('is done only for what was seen: a switched MX, a working test sign-in, every checklist item ticked', () => {
    expect(cutoverDayStatuses(state({}), 13)).toEqual({
      'keep-in-step': { status: 'todo', reason: expect.stringMatching(/keep the new mailbox in step/) },
      'switch-domain': { status: 'todo', reason: expect.stringMatching(/point your domain’s MX record/) },
      'sending-devices': { status: 'todo', reason: expect.stringMatching(/test sign-in/) },
      'outlook-phones': { status: 'todo', reason: expect.stringMatching(/add the new account/) },
    });
    expect(cutoverDayStatuses(state({ lastDns: dns({ state: 'mixed', switched: 1 }) }), 13)['switch-domain']).toEqual({ status: 'todo', reason: 'Switching: 1 of 2 DNS servers show Microsoft 365 at the last check.' });
    expect(cutoverDayStatuses(state({ lastDns: dns({ state: 'switched', switched: 2 }) }), 13)['switch-domain'].status).toBe('done');
    // A blocking finding (an SPF mistake, a domain outside the organisation) needs the person even once switched.
    expect(cutoverDayStatuses(state({ lastDns: dns({ state: 'switched', switched: 2, blocking: 1 }) }), 13)['switch-domain']).toEqual({ status: 'attention', reason: 'Needs you: 1 problem with the DNS records of contoso.com.' });
    expect(cutoverDayStatuses(state({ lastSmtp: { user: 'anna@contoso.com', ok: false, at: 'x' } }), 13)['sending-devices'].status).toBe('attention');
    expect(cutoverDayStatuses(state({ lastSmtp: { user: 'anna@contoso.com', ok: true, at: 'x' } }), 13)['sending-devices'].status).toBe('done');
    const ticked = ['a', 'b', 'c'];
    expect(cutoverDayStatuses(state({ checklistDone: ticked }), 3)['outlook-phones'].status).toBe('done');
    expect(cutoverDayStatuses(state({ checklistDone: ticked }), 4)['outlook-phones']).toEqual({ status: 'todo', reason: 'To do: 3 of 4 ticked so far.' });
    // Until the checklist is loaded, ticks never make it done.
    expect(cutoverDayStatuses(state({ checklistDone: ticked }), null)['outlook-phones']).toEqual({ status: 'todo', reason: 'To do: 3 ticked so far.' });
  });

  it('shows keeping in step as done only when the engine says the old mailbox is safe to close', () => {
    const now = Date.now();
    const running = watchStatus({ state: 'watching' }, { now, compare: null });
    expect(cutoverDayStatuses(state({}), 13, running)['keep-in-step']).toEqual({ status: 'todo', reason: `Keeping in step, last checked ${clock(running.lastCheckedAt!)}; not yet safe to close the old mailbox.` });
    const failed = watchStatus({ state: 'failed', jobId: null, error: { code: 'auth-failed', message: 'x', retryable: false } }, { now, compare: null });
    expect(cutoverDayStatuses(state({}), 13, failed)['keep-in-step'].status).toBe('attention');
    const settled = watchStatus({ state: 'stopped', jobId: null, switchSeenAt: new Date(now - 80 * 3600_000).toISOString() }, { now, compare: { at: now - 3600_000, missing: 0 } });
    expect(settled.safeToClose.ok).toBe(true);
    expect(cutoverDayStatuses(state({}), 13, settled)['keep-in-step'].status).toBe('done');
  });

  it('is not needed for another IMAP server as the new mailbox (keeping in step is)', () => {
    const s = cutoverDayStatuses(state({ target: { kind: 'imap', account: { host: 'imap.new.example', port: 993, user: 'anna', tls: 'implicit' } } }), 13);
    // Keeping in step works for any new mailbox; the rest guides a move to Microsoft 365.
    expect(Object.values(s).map((v) => v.status)).toEqual(['todo', 'not-needed', 'not-needed', 'not-needed']);
  });
});
