import { describe, expect, it } from 'vitest';
import { wizardStateSchema, type WizardState } from '../../src/shared/app-api.js';
import { cutoverDayStatuses } from '../../src/renderer/shell/cutover-day-status.js';

const state = (patch: Partial<WizardState>): WizardState => wizardStateSchema.parse({ step: 'finish', target: { kind: 'm365', user: 'anna@contoso.com' }, ...patch });
const dns = (patch: Partial<NonNullable<WizardState['lastDns']>>) => ({ domain: 'contoso.com', state: 'old' as const, switched: 0, answered: 2, blocking: 0, at: '2026-11-30T12:04:00Z', ...patch });

describe('the cutover day in the stepper', () => {
  it('is done only for what was seen: a switched MX, a working test sign-in, every checklist item ticked', () => {
    expect(cutoverDayStatuses(state({}), 13)).toEqual({
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

  it('is not needed for another IMAP server as the new mailbox', () => {
    const s = cutoverDayStatuses(state({ target: { kind: 'imap', account: { host: 'imap.new.example', port: 993, user: 'anna', tls: 'implicit' } } }), 13);
    expect(Object.values(s).map((v) => v.status)).toEqual(['not-needed', 'not-needed', 'not-needed']);
  });
});
