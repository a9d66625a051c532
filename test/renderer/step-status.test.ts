import { describe, expect, it } from 'vitest';
import { wizardStateSchema, type WizardState } from '../../src/shared/app-api.js';
import { stepStatuses, type StepFacts } from '../../src/renderer/shell/step-status.js';

const facts = (state: Partial<WizardState>, more: Partial<StepFacts> = {}): StepFacts => ({
  state: wizardStateSchema.parse({ step: 'old-mailbox', ...state }),
  sourcePassword: false,
  targetPassword: false,
  sourceVerified: false,
  targetVerified: false,
  signedIn: false,
  check: null,
  copyPaused: false,
  ...more,
});
const source = { host: 'imap.old.example', port: 993, user: 'anna', tls: 'implicit' as const };
const imap = { kind: 'imap' as const, account: { host: 'imap.new.example', port: 993, user: 'anna', tls: 'implicit' as const } };

describe('the stepper', () => {
  it('says why a step is not yet possible, and that a password is needed again after a restart', () => {
    const s = stepStatuses(facts({ source, target: imap, completed: ['old-mailbox', 'microsoft-365'] }));
    expect(s['old-mailbox']).toMatchObject({ status: 'attention', reason: expect.stringMatching(/password again/) });
    expect(s.check).toMatchObject({ status: 'blocked', reason: expect.stringMatching(/old mailbox needs its password again/) });
    const m365 = stepStatuses(facts({ source, target: { kind: 'm365', user: 'anna@contoso.com' } }, { sourcePassword: true, sourceVerified: true }));
    expect(m365['copy-mail']).toMatchObject({ status: 'blocked', reason: expect.stringMatching(/sign in to Microsoft 365 first/) });
    expect(m365['contacts-calendar'].status).toBe('blocked');
  });

  it('shows a paused copy, refused messages, missing messages and blocking findings as needing attention, never as done', () => {
    const ready = { sourcePassword: true, targetPassword: true, sourceVerified: true, targetVerified: true };
    const lastSync = { copied: 388, failed: 0, at: '2025-01-01T10:00:00Z' };
    expect(stepStatuses(facts({ source, target: imap, lastSync }, { ...ready, copyPaused: true }))['copy-mail'].status).toBe('attention');
    expect(stepStatuses(facts({ source, target: imap, lastSync: { ...lastSync, failed: 2 } }, ready))['copy-mail'].reason).toMatch(/refused 2 messages/);
    expect(stepStatuses(facts({ source, target: imap, lastSync }, ready))['copy-mail'].status).toBe('done');
    expect(stepStatuses(facts({ source, target: imap, lastCompareMissing: 3 }, ready)).compare.reason).toMatch(/3 messages are missing/);
    expect(stepStatuses(facts({ source, target: imap }, { ...ready, check: { blocking: 1 } })).check.reason).toMatch(/1 problem to fix/);
  });

  it('marks contacts and calendar as not needed for an IMAP target, and finishes only when everything else is done', () => {
    const ready = { sourcePassword: true, targetPassword: true, sourceVerified: true, targetVerified: true, check: { blocking: 0 } };
    const s = stepStatuses(facts({ source, target: imap, completed: ['folders'], lastSync: { copied: 10, failed: 0, at: 'x' }, lastCompareMissing: 0 }, ready));
    expect(s['contacts-calendar'].status).toBe('not-needed');
    expect(s.finish.status).toBe('done');
    expect(stepStatuses(facts({ source, target: imap, lastSync: { copied: 10, failed: 0, at: 'x' }, lastCompareMissing: 0 }, ready)).finish.status).toBe('todo');
  });
});
