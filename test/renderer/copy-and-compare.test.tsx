// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { WizardState } from '../../src/shared/app-api.js';
import type { CompareReport, FolderComparison } from '../../src/shared/compare-types.js';
import type { PairStatus, SyncSummary } from '../../src/shared/sync-types.js';
import { ApiError } from '../../src/renderer/api/web-client.js';
import { App } from '../../src/renderer/app.js';
import { fakeApi, NO_STATUS } from '../harness/fake-api.js';

afterEach(cleanup);

const PAIR: Partial<WizardState> = { source: { host: 'old.example', port: 993, user: 'anna', tls: 'implicit' }, target: { kind: 'imap', account: { host: 'new.example', port: 993, user: 'anna', tls: 'implicit' } } };
const NOTHING: PairStatus = NO_STATUS;

function summary(extra: Partial<SyncSummary>): SyncSummary {
  return { copied: 0, alreadyPresent: 0, flagsUpdated: 0, skipped: [], failed: [], folders: [], folderErrors: [], mapping: [], plan: null, cancelled: false, elapsedMs: 5, ...extra };
}

/** Passwords live in memory only: type both, then come back to `step`. */
async function enterPasswords(step: string): Promise<void> {
  fireEvent.click(await screen.findByRole('button', { name: 'Enter them' }));
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
  fireEvent.click(screen.getByRole('button', { name: '2. New mailbox' }));
  fireEvent.change(await screen.findByLabelText('Password'), { target: { value: 'pw2' } });
  fireEvent.click(screen.getByRole('button', { name: step }));
}

describe('the copy step after a reload or a restart', () => {
  it('attaches to the copy already running: its progress at once, live events, and Pause on it', async () => {
    const running: PairStatus = {
      ...NOTHING,
      running: {
        id: 'job-7',
        repair: false,
        startedAt: '2025-01-01T10:00:00Z',
        plan: { folders: [{ source: 'INBOX', target: 'INBOX', messages: 1500, bytes: 15_000_000, alreadyDone: 0, alreadyDoneBytes: 0 }], messages: 1500, bytes: 15_000_000, alreadyDone: 0, alreadyDoneBytes: 0, leftOut: [] },
        overall: { messagesDone: 388, messagesTotal: 1500, bytesDone: 3_880_000, bytesTotal: 15_000_000, failed: 0, skipped: 0, elapsedMs: 65_000, bytesPerSecond: 100_000, etaSeconds: 111 },
        folders: [{ folder: 'INBOX', target: 'INBOX', messagesDone: 388, messagesTotal: 1500, alreadyDone: 0, bytesDone: 3_880_000, bytesTotal: 15_000_000, bytesPerSecond: 100_000, etaSeconds: 111 }],
        failed: [],
      },
    };
    let now = running;
    const fake = fakeApi({ syncStatus: () => now, cancelJob: () => undefined }, { ...PAIR, step: 'copy-mail' });
    render(<App api={fake.api} />);
    // No password needed to see a running copy, or to pause it.
    expect((await screen.findByText(/All folders: 388 of 1,500 messages/)).textContent).toBeTruthy();
    expect(screen.getByText(/1 min 5 s so far, about 1 min 51 s left/)).toBeTruthy();
    expect(screen.getByText('388/1,500')).toBeTruthy();
    act(() => fake.emit({ type: 'sync', jobId: 'job-7', event: { type: 'overall', progress: { ...running.running!.overall!, messagesDone: 400 } } }));
    expect(await screen.findByText(/All folders: 400 of 1,500 messages/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Pause' })));
    expect(fake.calls.find((c) => c.method === 'cancelJob')?.args).toEqual(['job-7']);
    const paused = summary({ copied: 412, cancelled: true, folders: [{ source: 'INBOX', target: 'INBOX', copied: 412, alreadyPresent: 0, flagsUpdated: 0, failed: 0, skipped: 0, total: 1500, keywordsNotKept: {} }] });
    // As the service does: the job is gone before its end is announced.
    now = { ...NOTHING, known: 1500, done: 412, lastSummary: paused };
    act(() => fake.emit({ type: 'sync-finished', jobId: 'job-7', summary: paused, error: null }));
    // The paused sentence and the table say the same number.
    expect(await screen.findByText(/Paused: .*412 messages copied/)).toBeTruthy();
    expect(screen.getByText('412/1,500')).toBeTruthy();
  });

  it('shows the partial copy from the state database, with Resume', async () => {
    const partial: PairStatus = { ...NOTHING, known: 1500, done: 388, folders: [{ source: 'INBOX', target: 'INBOX', known: 1500, done: 388, failed: 0, skipped: 0 }] };
    const fake = fakeApi({ syncStatus: () => partial, startSync: () => ({ id: 'job-8', kind: 'sync', running: true, attached: false }) }, { ...PAIR, step: 'copy-mail' });
    render(<App api={fake.api} />);
    expect(await screen.findByText(/388 of 1,500 copied — “Resume” continues/)).toBeTruthy();
    await enterPasswords('5. Copy mail');
    await screen.findByRole('heading', { name: 'Copy mail' });
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Resume' })));
    expect(fake.calls.find((c) => c.method === 'startSync')?.args[2]).toMatchObject({ repair: true });
  });

  it('notices when Cutover stops answering, and picks the copy up again when it is back', async () => {
    let answer: () => PairStatus = () => {
      throw new ApiError({ code: 'connection-lost', message: 'The connection to Cutover was lost.', retryable: true });
    };
    const fake = fakeApi({ syncStatus: () => answer() }, { ...PAIR, step: 'copy-mail' });
    render(<App api={fake.api} />);
    expect(await screen.findByText(/Cutover does not answer/)).toBeTruthy();
    answer = () => ({ ...NOTHING, known: 1500, done: 388 });
    expect(await screen.findByText(/388 of 1,500 copied/, {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByText(/Cutover does not answer/)).toBeNull();
  }, 20_000);

  it('says in words when another Cutover copies the same pair', async () => {
    const busy = { ...NOTHING, elsewhere: { pid: 4242, since: '2025-01-01T10:00:00Z', purpose: 'sync' } };
    const fake = fakeApi(
      {
        syncStatus: () => busy,
        startSync: () => {
          throw new Error('the page must not start a second copy');
        },
      },
      { ...PAIR, step: 'copy-mail' },
    );
    render(<App api={fake.api} />);
    expect(await screen.findByText(/Another Cutover is copying these two mailboxes \(process 4242/)).toBeTruthy();
    await enterPasswords('5. Copy mail');
    await screen.findByRole('heading', { name: 'Copy mail' });
    expect((await screen.findByRole('button', { name: 'Start copying' })).hasAttribute('disabled')).toBe(true);
  });
});

function folder(extra: Partial<FolderComparison>): FolderComparison {
  return { source: 'INBOX', target: 'INBOX', leftOut: false, sourceCount: 3, targetCount: 3, sourceBytes: 3, targetBytes: 3, missing: [], duplicates: [], extraOnTarget: 0, flagMismatches: 0, ...extra };
}

describe('the compare step', () => {
  it('never calls duplicates complete, lists left-out folders as such, and copies the missing ones then compares again', async () => {
    const first: CompareReport = {
      missingTotal: 1,
      duplicateTotal: 2,
      complete: false,
      folders: [
        folder({ targetCount: 4, missing: [{ uid: 9, messageId: '<m@x>', subject: 'Lost one', date: '2025-01-02', from: 'a@x', size: 2048 }], duplicates: [{ messageId: '<d@x>', subject: 'Twice', date: '2025-01-03', copies: 2 }] }),
        folder({ source: 'Sent', target: null, leftOut: true, sourceCount: 227, targetCount: 0 }),
        folder({ source: 'Café', target: 'Kaffee', sourceCount: 95, targetCount: 96, extraOnTarget: 1 }),
      ],
    };
    const second: CompareReport = { missingTotal: 0, duplicateTotal: 0, complete: true, folders: [folder({}), first.folders[1]!, first.folders[2]!] };
    const reports = [first, second];
    const fake = fakeApi({ compare: () => reports.shift(), startSync: () => ({ id: 'rep-1', kind: 'sync', running: true, attached: false }) }, { ...PAIR, step: 'compare' });
    render(<App api={fake.api} />);
    await enterPasswords('7. Compare');
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Compare the mailboxes' })));
    expect((await screen.findByText('1 messages are missing in the new mailbox, and 2 extra copies are in the new mailbox.')).textContent).toBeTruthy();
    expect(screen.getByRole('button', { name: '1 missing, 2 extra copies' })).toBeTruthy();
    expect(screen.getByText('Left out')).toBeTruthy();
    expect(screen.queryByText(/227 missing/)).toBeNull();
    expect(screen.getByText(/1 messages in the new mailbox are not from the old one/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '1 missing, 2 extra copies' }));
    expect(screen.getByRole('table', { name: /Missing in/ }).textContent).toContain('Lost one');
    expect(screen.getByRole('table', { name: /More than once in/ }).textContent).toContain('Twice');

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy the missing ones' })));
    expect(fake.calls.find((c) => c.method === 'startSync')?.args[2]).toMatchObject({ repair: true });
    act(() => fake.emit({ type: 'sync-finished', jobId: 'rep-1', summary: summary({ copied: 1 }), error: null }));
    // No dead end: the comparison runs again by itself and shows the new result.
    expect(await screen.findByText('Nothing is missing in the new mailbox.')).toBeTruthy();
    expect(fake.calls.filter((c) => c.method === 'compare')).toHaveLength(2);
    expect(fake.state()).toMatchObject({ lastCompareMissing: 0, lastCompareDuplicates: 0, lastSync: { copied: 1 } });
  });

  it('removes the extra copies Cutover made only after a preview and a confirmation', async () => {
    const dup: CompareReport = { missingTotal: 0, duplicateTotal: 2, complete: false, folders: [folder({ targetCount: 5, duplicates: [{ messageId: '<d@x>', subject: 'Twice', date: '2025-01-03', copies: 2 }] })] };
    const clean: CompareReport = { missingTotal: 0, duplicateTotal: 0, complete: true, folders: [folder({})] };
    const reports = [dup, clean];
    const plan = { remove: 1, keptUnproven: 1, folders: [{ source: 'INBOX', target: 'INBOX', uidValidity: 77, uids: [12], groups: [{ messageId: '<d@x>', subject: 'Twice', date: '2025-01-03', sourceCount: 1, targetCount: 3, remove: 1, keptUnproven: 1 }] }] };
    const fake = fakeApi({ compare: () => reports.shift(), previewExtraCopies: () => plan, removeExtraCopies: () => ({ removed: 1, folders: [{ source: 'INBOX', target: 'INBOX', removed: 1 }] }) }, { ...PAIR, step: 'compare' });
    render(<App api={fake.api} />);
    await enterPasswords('7. Compare');
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Compare the mailboxes' })));
    expect(await screen.findByText('2 extra copies are in the new mailbox.')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Remove the extra copies Cutover made' })));
    expect(await screen.findByText(/1 copies that Cutover made can be removed .* 1 other extra copies stay/)).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'removeExtraCopies')).toBe(false);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Remove 1 copies' })));
    expect(fake.calls.find((c) => c.method === 'removeExtraCopies')?.args[2]).toEqual([{ source: 'INBOX', target: 'INBOX', uidValidity: 77, uids: [12] }]);
    await waitFor(() => expect(screen.getByText('Nothing is missing in the new mailbox.')).toBeTruthy());
  });
});
