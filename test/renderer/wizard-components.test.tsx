// @vitest-environment happy-dom
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import './animations.js';
import type { CutoverApi } from '../../src/shared/app-api.js';
import { compareCsv } from '../../src/shared/compare-export.js';
import { App } from '../../src/renderer/app.js';
import { fakeApi } from '../harness/fake-api.js';

afterEach(cleanup);

const renderApp = (api: CutoverApi) =>
  render(
    <FluentProvider theme={webLightTheme}>
      <App api={api} />
    </FluentProvider>,
  );

const type = (label: string, value: string): void => void fireEvent.change(screen.getByLabelText(label), { target: { value } });
const ENGINE_TEXT = 'ENGINE-SENTENCE src@host@host:993 run with --max-message-size';

describe('the wizard', () => {
  it('words a refused password from its code, names whose side it is on, and never shows the engine’s text or saves the password', async () => {
    const fake = fakeApi({ testConnection: () => ({ ok: false, folders: 0, error: { code: 'auth-failed', message: ENGINE_TEXT, retryable: false } }) });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Old mailbox' });
    type('E-mail address', 'anna@old.example');
    type('Server', 'imap.old.example');
    type('Password', 's3cret-pw');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/The old mail server refused the user name or password/);
    expect(alert.textContent).toMatch(/On the old mail server’s side/);
    expect(document.body.textContent).not.toContain('ENGINE-SENTENCE');
    // The user name followed the address.
    expect(fake.called('testConnection')[0]?.args[0]).toMatchObject({ host: 'imap.old.example', user: 'anna@old.example', password: 's3cret-pw', port: 993, tls: 'implicit' });
    expect(JSON.stringify(fake.state())).not.toContain('s3cret-pw');
    // A stale error goes as soon as the input changes.
    type('Password', 'another');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a port it cannot use beside the field and never sends it', async () => {
    const fake = fakeApi({ testConnection: () => ({ ok: true, folders: 3, error: null }) });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Old mailbox' });
    type('E-mail address', 'anna@old.example');
    type('Server', 'imap.old.example');
    type('Password', 'pw');
    for (const [port, sentence] of [
      ['99999', /between 1 and 65535/],
      ['99a', /a number from 1 to 65535 .* with no letters/],
      ['', /Enter the port/],
    ] as const) {
      type('Port', port);
      expect(screen.getByText(sentence)).toBeTruthy();
      await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
      expect(fake.called('testConnection')).toHaveLength(0);
    }
    type('Server', 'imap old example');
    expect(screen.getByText(/A server name has no spaces/)).toBeTruthy();
    type('E-mail address', 'not-an-email');
    fireEvent.blur(screen.getByLabelText('E-mail address'));
    expect(screen.getByText(/does not look like an e-mail address/)).toBeTruthy();
  });

  it('keeps what was typed when the person moves away with the stepper, and saves it as typed (never the password)', async () => {
    const fake = fakeApi({ planFolders: () => [] });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Old mailbox' });
    type('E-mail address', 'anna@old.example');
    type('Server', 'imap.old.example');
    type('Port', '99999');
    type('Password', 'pw-kept-in-memory');
    fireEvent.click(screen.getByRole('button', { name: '4. Folders' }));
    await screen.findByRole('heading', { name: 'Folders' });
    fireEvent.click(screen.getByRole('button', { name: '1. Old mailbox' }));
    await screen.findByRole('heading', { name: 'Old mailbox' });
    expect((screen.getByLabelText('Server') as HTMLInputElement).value).toBe('imap.old.example');
    expect((screen.getByLabelText('Port') as HTMLInputElement).value).toBe('99999');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('pw-kept-in-memory');
    expect(fake.state().drafts).toMatchObject({ email: 'anna@old.example', 'source.host': 'imap.old.example', 'source.port': '99999' });
    // An invalid port is a draft only: no half-valid account is saved.
    expect(fake.state().source).toBeNull();
    expect(JSON.stringify(fake.state())).not.toContain('pw-kept-in-memory');
  });

  it('tests the connection when Enter is pressed, moves on only when it works, and puts the focus on the new step’s heading', async () => {
    const fake = fakeApi({ testConnection: () => ({ ok: true, folders: 3, error: null }) });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Old mailbox' });
    type('E-mail address', 'anna@old.example');
    type('Server', 'imap.old.example');
    type('Password', 'pw');
    await act(async () => fireEvent.submit(screen.getByLabelText('Password').closest('form')!));
    const heading = await screen.findByRole('heading', { name: 'New mailbox' });
    expect(fake.called('testConnection')).toHaveLength(1);
    expect(document.activeElement).toBe(heading);
    expect(fake.state().completed).toContain('old-mailbox');
    expect(screen.getByRole('button', { name: '1. Old mailbox' }).getAttribute('data-status')).toBe('done');
  });

  it('does not prefill the Microsoft 365 address with the old one, and Next needs a sign-in', async () => {
    const fake = fakeApi({}, { step: 'microsoft-365', email: 'anna@old.example', source: { host: 'imap.old.example', port: 993, user: 'anna@old.example', tls: 'implicit' } });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'New mailbox' });
    expect((screen.getByLabelText('Microsoft 365 address') as HTMLInputElement).value).toBe('');
    type('Microsoft 365 address', 'anna@contoso.com');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Next' })));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Sign in first/);
    expect(fake.state().step).toBe('microsoft-365');
  });

  it('without a client ID, says what to ask the admin and offers the message with the registration, permissions and the consent link', async () => {
    const fake = fakeApi({ m365Status: () => ({ signedIn: false, username: null, name: null, hasClientId: false }) }, { step: 'microsoft-365' });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'New mailbox' });
    type('Microsoft 365 address', 'anna@contoso.com');
    expect(await screen.findByText('Ask your admin first')).toBeTruthy();
    const message = (screen.getByLabelText('Message for your admin') as HTMLTextAreaElement).value;
    expect(message).toContain('http://localhost');
    expect(message).toContain('Mail.ReadWrite');
    expect(message).toContain('IMAP.AccessAsUser.All');
    expect(message).toContain('https://login.microsoftonline.com/contoso.com/v2.0/adminconsent?client_id=');
    expect(document.body.textContent).not.toMatch(/README/);
    expect((screen.getByRole('button', { name: 'Sign in with the browser' }) as HTMLButtonElement).disabled).toBe(true);
    // With a client ID from the admin, signing in is possible; a malformed one is explained.
    type('Client ID', 'not-a-guid');
    expect(screen.getByText(/A client ID looks like/)).toBeTruthy();
    type('Client ID', '11111111-2222-3333-4444-555555555555');
    expect((screen.getByRole('button', { name: 'Sign in with the browser' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('words a Microsoft sign-in failure by its code (offline), never with MSAL’s text', async () => {
    const fake = fakeApi({
      m365SignIn: () => {
        throw Object.assign(new Error('x'), { data: { code: 'host-unreachable', message: 'network_error Network request failed: fetch failed, additionalErrorInfo: error.name:TypeError', retryable: true } });
      },
    }, { step: 'microsoft-365' });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'New mailbox' });
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Sign in with the browser' })));
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not reach Microsoft’s sign-in service/);
    expect(document.body.textContent).not.toMatch(/network_error|TypeError|fetch failed/);
  });

  it('says at once that contacts and calendars are not for an IMAP target, and the stepper shows it', async () => {
    const fake = fakeApi({}, { step: 'contacts-calendar', target: { kind: 'imap', account: { host: 'imap.new.example', port: 993, user: 'anna', tls: 'implicit' } } });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Contacts and calendar' });
    expect(screen.getByText('Not needed for this new mailbox')).toBeTruthy();
    expect(screen.queryByLabelText('Address book exports (.vcf)')).toBeNull();
    expect(screen.getByRole('button', { name: '6. Contacts and calendar' }).getAttribute('data-status')).toBe('not-needed');
  });

  it('finishes with the unfinished steps as links and advice for the actual new mailbox only', async () => {
    const fake = fakeApi({}, { step: 'finish', target: { kind: 'imap', account: { host: 'imap.new.example', port: 993, user: 'anna', tls: 'implicit' } }, lastSync: { copied: 1500, failed: 0, at: '2025-01-01T10:00:00Z' } });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Finish' });
    const left = screen.getByRole('list', { name: 'Steps not finished' });
    expect(left.textContent).toMatch(/Old mailbox/);
    expect(left.textContent).toMatch(/Compare/);
    expect(document.body.textContent).not.toMatch(/MX record to Microsoft 365/);
    expect(document.body.textContent).toMatch(/MX record to your new provider/);
    expect(screen.getByText('1,500')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    await screen.findByRole('heading', { name: 'Compare' });
  });

  it('shows the same account as old and new mailbox as a blocking finding with a way back', async () => {
    const fake = fakeApi(
      {
        testConnection: () => ({ ok: true, folders: 1, error: null }),
        preflight: () => ({
          findings: [
            { id: 'same-mailbox', level: 'blocking', message: ENGINE_TEXT },
            { id: 'source-reachable', level: 'ok', message: ENGINE_TEXT },
            { id: 'source-oversized', level: 'warning', message: ENGINE_TEXT, action: ENGINE_TEXT },
          ],
          source: { folders: [{ path: 'INBOX', messages: 1500, bytes: 143_654_912 }], totalMessages: 1500, totalBytes: 143_654_912, oversized: [{ folder: 'INBOX', uid: 7, subject: 'Big one', date: null, size: 40_000_000 }] },
          target: null,
          maxMessageSize: 36_700_160,
        }),
      },
      { email: 'a@b.example', source: { host: 'h.example', port: 993, user: 'a@b.example', tls: 'implicit' }, target: { kind: 'imap', account: { host: 'h.example', port: 993, user: 'a@b.example', tls: 'implicit' } } },
    );
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Old mailbox' });
    type('Password', 'pw');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Next' })));
    await screen.findByRole('heading', { name: 'New mailbox' });
    type('Password', 'pw');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Next' })));
    await screen.findByRole('heading', { name: 'Check' });
    const findings = await screen.findByRole('list', { name: 'Findings' });
    expect(findings.textContent).toMatch(/The old and the new mailbox are the same account/);
    expect(findings.textContent).toMatch(/1,500 messages \(137 MB\) in 1 folder\./);
    expect(findings.textContent).toMatch(/1 message is larger than the new mailbox accepts \(35 MB\)/);
    expect(document.body.textContent).not.toContain('ENGINE-SENTENCE');
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
    expect(screen.getByRole('button', { name: '3. Check' }).getAttribute('data-status')).toBe('attention');
    fireEvent.click(screen.getByRole('button', { name: 'Choose the new mailbox' }));
    await screen.findByRole('heading', { name: 'New mailbox' });
  });

  it('remembers the step and asks for passwords again after a restart', async () => {
    const fake = fakeApi({}, { step: 'compare', source: { host: 'h', port: 993, user: 'u', tls: 'implicit' }, completed: ['old-mailbox'] });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Compare' });
    expect(screen.getByRole('alert').textContent).toMatch(/needs both mailboxes and their passwords/);
    expect(screen.getByRole('button', { name: '7. Compare' }).getAttribute('aria-current')).toBe('step');
    expect(screen.getByRole('button', { name: '1. Old mailbox' }).getAttribute('data-status')).toBe('attention');
  });

  it('shows copy progress from engine events', async () => {
    const fake = fakeApi({ startSync: () => ({ id: 'job-1', kind: 'sync', running: true, attached: false }) }, {
      step: 'copy-mail',
      source: { host: 'h', port: 993, user: 'u', tls: 'implicit' },
      target: { kind: 'm365', user: 'anna@contoso.com' },
    });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Copy mail' });
    // Passwords are in memory only: enter the source one through step 1.
    fireEvent.click(screen.getByRole('button', { name: 'Enter the passwords' }));
    type('Password', 'pw');
    fireEvent.click(screen.getByRole('button', { name: '5. Copy mail' }));
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Start copying' })));
    const plan = { folders: [{ source: 'INBOX', target: 'INBOX', messages: 10, bytes: 10240, alreadyDone: 0, alreadyDoneBytes: 0 }], messages: 10, bytes: 10240, alreadyDone: 0, alreadyDoneBytes: 0, leftOut: [] };
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'plan', plan } }));
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'folder-progress', progress: { folder: 'INBOX', target: 'INBOX', messagesDone: 3, messagesTotal: 10, alreadyDone: 0, bytesDone: 3072, bytesTotal: 10240, bytesPerSecond: 2048, etaSeconds: 4 } } }));
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'overall', progress: { messagesDone: 3, messagesTotal: 10, bytesDone: 3072, bytesTotal: 10240, failed: 0, skipped: 0, elapsedMs: 2000, bytesPerSecond: 2048, etaSeconds: 4 } } }));
    expect((await screen.findByText('3 of 10 messages in the new mailbox')).textContent).toBeTruthy();
    expect(screen.getByText('less than a minute left')).toBeTruthy();
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'throttled', folder: 'INBOX', waitSeconds: 30 } }));
    expect(screen.getByText(/asked Cutover to slow down: it waits 30 seconds, then goes on by itself/)).toBeTruthy();
    // Messages move again: the notice goes.
    act(() => fake.emit({ type: 'sync', jobId: 'job-1', event: { type: 'folder-progress', progress: { folder: 'INBOX', target: 'INBOX', messagesDone: 4, messagesTotal: 10, alreadyDone: 0, bytesDone: 4096, bytesTotal: 10240, bytesPerSecond: 2048, etaSeconds: 3 } } }));
    expect(screen.queryByText(/asked Cutover to slow down/)).toBeNull();
    act(() =>
      fake.emit({
        type: 'sync-finished',
        jobId: 'job-1',
        summary: { copied: 10, alreadyPresent: 0, flagsUpdated: 0, skipped: [], failed: [], folders: [{ source: 'INBOX', target: 'INBOX', copied: 10, alreadyPresent: 0, flagsUpdated: 0, failed: 0, skipped: 0, total: 10, keywordsNotKept: {} }], folderErrors: [], mapping: [], plan, cancelled: false, elapsedMs: 5 },
        error: null,
      }),
    );
    await waitFor(() => expect(screen.getByText('Done.').parentElement!.textContent).toMatch(/All 10 messages are in the new mailbox/));
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
    renderApp(fake.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Enter the passwords' }));
    type('Password', 'pw');
    fireEvent.click(screen.getByRole('button', { name: '5. Copy mail' }));
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Start copying' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Pause' })));
    expect(fake.called('cancelJob')[0]?.args).toEqual(['job-2']);
    act(() =>
      fake.emit({
        type: 'sync-finished',
        jobId: 'job-2',
        summary: { copied: 3, alreadyPresent: 0, flagsUpdated: 0, skipped: [], failed: [], folders: [], folderErrors: [], mapping: [], plan: null, cancelled: true, elapsedMs: 5 },
        error: null,
      }),
    );
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(screen.getByText('Paused.')).toBeTruthy();
  });
});
