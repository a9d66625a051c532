// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { compareCsv } from '../../src/shared/compare-export.js';
import { App } from '../../src/renderer/app.js';
import { fakeApi } from '../harness/fake-api.js';

afterEach(cleanup);

describe('the wizard', () => {
  it('shows the engine error in plain words when the old mailbox refuses the password, and never saves the password', async () => {
    const fake = fakeApi({
      testConnection: () => ({ ok: false, folders: 0, error: { code: 'auth-failed', message: 'Sign-in to the old (source) mailbox was refused: check the user name and password (or app password).', retryable: false } }),
    });
    render(<App api={fake.api} />);
    await screen.findByRole('heading', { name: 'Old mailbox' });
    fireEvent.change(screen.getByLabelText('Server'), { target: { value: 'imap.example.org' } });
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'anna' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret-pw' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    expect(await screen.findByText(/check the user name and password/)).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'testConnection')?.args[0]).toMatchObject({ host: 'imap.example.org', user: 'anna', password: 's3cret-pw', port: 993, tls: 'implicit' });
    expect(JSON.stringify(fake.state())).not.toContain('s3cret-pw');
  });

  it('remembers the step and asks for passwords again after a restart', async () => {
    const fake = fakeApi({}, { step: 'compare', source: { host: 'h', port: 993, user: 'u', tls: 'implicit' } });
    render(<App api={fake.api} />);
    await screen.findByRole('heading', { name: 'Compare' });
    expect(screen.getByRole('alert').textContent).toMatch(/needs both mailboxes and their passwords/);
    expect(screen.getByRole('button', { name: '7. Compare' }).getAttribute('aria-current')).toBe('step');
  });

  it('shows copy progress from engine events', async () => {
    const fake = fakeApi({ startSync: () => ({ id: 'job-1', kind: 'sync', running: true, attached: false }) }, {
      step: 'copy-mail',
      source: { host: 'h', port: 993, user: 'u', tls: 'implicit' },
      target: { kind: 'm365', user: 'anna@contoso.com' },
    });
    render(<App api={fake.api} />);
    await screen.findByRole('heading', { name: 'Copy mail' });
    // Passwords are in memory only: enter the source one through step 1.
    fireEvent.click(screen.getByRole('button', { name: 'Enter them' }));
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: '5. Copy mail' }));
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Start copying' })));
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'plan', plan: { folders: [{ source: 'INBOX', target: 'INBOX', messages: 10, bytes: 10240, alreadyDone: 0, alreadyDoneBytes: 0 }], messages: 10, bytes: 10240, alreadyDone: 0, alreadyDoneBytes: 0, leftOut: [] } } }));
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'folder-progress', progress: { folder: 'INBOX', target: 'INBOX', messagesDone: 3, messagesTotal: 10, alreadyDone: 0, bytesDone: 3072, bytesTotal: 10240, bytesPerSecond: 2048, etaSeconds: 4 } } }));
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'overall', progress: { messagesDone: 3, messagesTotal: 10, bytesDone: 3072, bytesTotal: 10240, failed: 0, skipped: 0, elapsedMs: 2000, bytesPerSecond: 2048, etaSeconds: 4 } } }));
    expect((await screen.findByText(/All folders: 3 of 10 messages/)).textContent).toBeTruthy();
    expect(screen.getByText('4 s')).toBeTruthy();
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'throttled', folder: 'INBOX', waitSeconds: 30 } }));
    expect(screen.getByText(/asked us to slow down; waiting 30 seconds/)).toBeTruthy();
    act(() =>
      fake.emit({
        type: 'sync-finished',
        jobId: 'job-1',
        summary: { copied: 10, alreadyPresent: 0, flagsUpdated: 0, skipped: [], failed: [], folders: [], folderErrors: [], mapping: [], plan: null, cancelled: false, elapsedMs: 5 },
        error: null,
      }),
    );
    await waitFor(() => expect(screen.getByText(/Done\. 10 messages copied/)).toBeTruthy());
    expect(fake.state().lastSync?.copied).toBe(10);
  });
});

describe('comparison export', () => {
  it('writes CSV that spreadsheets cannot mistake for formulas', () => {
    const csv = compareCsv({
      missingTotal: 1,
      duplicateTotal: 0,
      complete: false,
      folders: [{ source: 'INBOX', target: 'INBOX', leftOut: false, duplicates: [], sourceCount: 2, targetCount: 1, sourceBytes: 2, targetBytes: 1, extraOnTarget: 0, flagMismatches: 0, missing: [{ uid: 1, messageId: '<a@b>', subject: '=HYPERLINK("x"), "quoted"', date: '2025-01-01', from: 'a@b', size: 10 }] }],
    });
    expect(csv).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
    expect(csv.split('\r\n')[1]).toBe('INBOX,INBOX,2,1,1,0,0,0,1 missing');
  });
});

describe('pausing a copy', () => {
  it('offers Pause while copying and Resume afterwards', async () => {
    const fake = fakeApi({ startSync: () => ({ id: 'job-2', kind: 'sync', running: true, attached: false }), cancelJob: () => undefined }, {
      step: 'copy-mail',
      source: { host: 'h', port: 993, user: 'u', tls: 'implicit' },
      target: { kind: 'm365', user: 'anna@contoso.com' },
    });
    render(<App api={fake.api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Enter them' }));
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: '5. Copy mail' }));
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Start copying' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Pause' })));
    expect(fake.calls.find((c) => c.method === 'cancelJob')?.args).toEqual(['job-2']);
    act(() =>
      fake.emit({
        type: 'sync-finished',
        jobId: 'job-2',
        summary: { copied: 3, alreadyPresent: 0, flagsUpdated: 0, skipped: [], failed: [], folders: [], folderErrors: [], mapping: [], plan: null, cancelled: true, elapsedMs: 5 },
        error: null,
      }),
    );
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(screen.getByText(/Paused/)).toBeTruthy();
  });
});
