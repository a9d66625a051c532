// @vitest-environment happy-dom
import './animations.js';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CutoverApi, WizardState } from '../../src/shared/app-api.js';
import type { PimUndoSummary } from '../../src/shared/pim-types.js';
import { App } from '../../src/renderer/app.js';
import { fakeApi } from '../harness/fake-api.js';

afterEach(cleanup);

const MB = 1024 * 1024;
const M365: Partial<WizardState> = { source: { host: 'old.example', port: 993, user: 'anna', tls: 'implicit' }, target: { kind: 'm365', user: 'anna@contoso.com' } };

const renderApp = (api: CutoverApi) =>
  render(
    <FluentProvider theme={webLightTheme}>
      <App api={api} />
    </FluentProvider>,
  );
const type = (label: string, value: string): void => void fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('the folders step’s Advanced choices', () => {
  it('refuses what Microsoft 365 cannot take beside the field, saves the rest, and every copy start sends them', async () => {
    const fake = fakeApi(
      {
        planFolders: () => [{ source: 'INBOX', target: 'INBOX', reason: 'same-name', selectable: true }],
        startSync: () => ({ id: 'job-1', kind: 'sync', running: true, attached: false }),
      },
      { ...M365, step: 'folders' },
    );
    renderApp(fake.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Enter them' }));
    type('Password', 'pw');
    fireEvent.click(screen.getByRole('button', { name: '4. Folders' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Advanced' }));
    // The defaults named are the ones the engine uses for Microsoft 365 (both read src/shared/sync-types.ts).
    expect(screen.getByText(/^Empty: 3, the most Microsoft 365 allows/)).toBeTruthy();
    expect(screen.getByText(/^Empty: 35 MB, Microsoft 365’s usual limit\. An admin can raise a mailbox’s limit up to 150 MB\./)).toBeTruthy();

    type('Connections at once', '5');
    expect(await screen.findByText('Enter a number from 1 to 3.')).toBeTruthy();
    expect(fake.state().copyChoices.connections).toBeNull();
    type('Connections at once', 'two');
    expect(await screen.findByText('Enter the number of connections as a whole number.')).toBeTruthy();
    type('Connections at once', '2');
    await waitFor(() => expect(fake.state().copyChoices.connections).toBe(2));

    type('Largest message to copy (MB)', '151');
    expect(await screen.findByText('Enter a number from 1 to 150.')).toBeTruthy();
    expect(fake.state().copyChoices.maxMessageSize).toBeNull();
    type('Largest message to copy (MB)', '50');
    await waitFor(() => expect(fake.state().copyChoices.maxMessageSize).toBe(50 * MB));

    fireEvent.click(screen.getByLabelText('Mark messages that ask for a read receipt as answered'));
    await waitFor(() => expect(fake.state().copyChoices.markReceiptsSent).toBe(false));

    fireEvent.click(screen.getByRole('button', { name: '5. Copy mail' }));
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Start copying' })));
    expect(fake.called('startSync')[0]?.args[2]).toEqual({ exclude: [], rename: {}, repair: false, connections: 2, markReceiptsSent: false, maxMessageSize: 50 * MB });
  });

  it('shows what was chosen before, and empty fields go back to Cutover’s default', async () => {
    const fake = fakeApi({ planFolders: () => [] }, { ...M365, step: 'folders', copyChoices: { connections: 1, markReceiptsSent: true, maxMessageSize: 20 * MB } });
    renderApp(fake.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Enter them' }));
    type('Password', 'pw');
    fireEvent.click(screen.getByRole('button', { name: '4. Folders' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Advanced' }));
    expect((screen.getByLabelText('Connections at once') as HTMLInputElement).value).toBe('1');
    expect((screen.getByLabelText('Largest message to copy (MB)') as HTMLInputElement).value).toBe('20');
    type('Connections at once', '');
    type('Largest message to copy (MB)', '');
    await waitFor(() => expect(fake.state().copyChoices).toEqual({ connections: null, markReceiptsSent: true, maxMessageSize: null }));
  });
});

describe('removing what Cutover copied into Microsoft 365', () => {
  it('asks first, removes only in the folder named, and says what stayed and why', async () => {
    const answer: PimUndoSummary = { deleted: 3, failed: [{ id: 'e9', reason: 'x' }], leftAlone: [{ id: 'e4', subject: 'Planning', reason: 'attendees' }, { id: 'e5', subject: null, reason: 'attendees' }] };
    const fake = fakeApi({ undoPim: () => answer }, { ...M365, step: 'contacts-calendar' });
    renderApp(fake.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove the events Cutover copied into “Calendar from old mailbox”…' }));
    expect(fake.called('undoPim')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Keep them' }));
    expect(fake.called('undoPim')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Remove the events Cutover copied into “Calendar from old mailbox”…' }));
    expect(screen.getByText(/Remove every event Cutover created in “Calendar from old mailbox”\? Events you made yourself stay\./)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Remove them' })));
    expect(fake.called('undoPim').map((c) => c.args)).toEqual([['calendar', 'anna@contoso.com', null]]);
    const said = (await screen.findByRole('status')).textContent ?? '';
    expect(said).toContain('Removed 3 events Cutover had created.');
    expect(said).toContain('1 could not be removed.');
    expect(said).toContain('2 events have attendees now and stay');
  });

  it('offers nothing to remove for an IMAP target', async () => {
    const fake = fakeApi({}, { step: 'contacts-calendar', target: { kind: 'imap', account: { host: 'imap.new.example', port: 993, user: 'anna', tls: 'implicit' } } });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Contacts and calendar' });
    expect(screen.queryByRole('button', { name: /^Remove the/ })).toBeNull();
  });
});
