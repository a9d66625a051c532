// @vitest-environment happy-dom
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CutoverApi, WizardState } from '../../src/shared/app-api.js';
import type { DnsReport } from '../../src/shared/cutover-day-types.js';
import { deviceChecklist } from '../../src/main/engine/cutover/device-checklist.js';
import { App } from '../../src/renderer/app.js';
import { DOMAIN, dnsReport, MICROSOFT_MX, OLD_MX, resolver, smtpResult, watchStatus } from '../harness/cutover-day-samples.js';
import { clock } from '../../src/renderer/words/keep-in-step.js';
import { dateTime } from '../../src/renderer/words/numbers.js';
import { fakeApi } from '../harness/fake-api.js';

afterEach(cleanup);
// happy-dom rejects a cancelled animation's promise, and Fluent cancels the accordion's open/close
// animation when a test unmounts the page mid-way: without animations, that cannot happen.
const animate = HTMLElement.prototype.animate;
beforeAll(() => void Object.defineProperty(HTMLElement.prototype, 'animate', { value: undefined, configurable: true, writable: true }));
afterAll(() => void Object.defineProperty(HTMLElement.prototype, 'animate', { value: animate, configurable: true, writable: true }));

const renderApp = (api: CutoverApi) =>
  render(
    <FluentProvider theme={webLightTheme}>
      <App api={api} />
    </FluentProvider>,
  );

const type = (label: string, value: string): void => void fireEvent.change(screen.getByLabelText(label), { target: { value } });
const USER = `anna@${DOMAIN}`;
const m365: Partial<WizardState> = { email: 'anna@old.example', target: { kind: 'm365', user: USER } };
const stepStatus = (name: string): string | null => screen.getByRole('button', { name }).getAttribute('data-status');
const findingLevel = (code: string): string | null => document.querySelector(`[data-finding="${code}"]`)?.getAttribute('data-level') ?? null;

const SYSTEM = resolver({ server: '192.168.1.1' });
const NS1 = resolver({ server: '198.51.100.53', kind: 'authoritative', name: 'ns1.dns-host.example', mx: [{ host: MICROSOFT_MX, priority: 0 }], ttl: 300, switched: true });

describe('Switch your domain', () => {
  it('checks the domain of the new address by itself and words the verdict, the wait and every finding from their codes; the stepper follows', async () => {
    let answer: DnsReport = dnsReport(
      [SYSTEM, NS1],
      [
        { level: 'warning', code: 'mx-mixed', facts: { switched: 1, of: 2, waitSeconds: 2400 } },
        { level: 'warning', code: 'mx-leftover', facts: { hosts: [OLD_MX], preferred: false } },
        { level: 'blocking', code: 'spf-multiple', facts: { records: ['v=spf1 mx -all', 'v=spf1 include:spf.protection.outlook.com -all'] } },
        { level: 'ok', code: 'autodiscover-ok', facts: { target: 'autodiscover.outlook.com' } },
      ],
    );
    const fake = fakeApi({ checkDns: () => answer }, { ...m365, step: 'switch-domain' });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Switch your domain' });
    expect(await screen.findByText('Switching: 1 of 2 DNS servers show Microsoft 365.')).toBeTruthy();
    expect(fake.called('checkDns').map((c) => c.args)).toEqual([[DOMAIN, { expectMx: null, resolvers: [] }]]);
    expect((screen.getByLabelText('Your domain') as HTMLInputElement).value).toBe(DOMAIN);
    expect((screen.getByLabelText('Microsoft 365 expects the MX value') as HTMLInputElement).value).toBe(MICROSOFT_MX);
    const findings = within(screen.getByRole('list', { name: 'Findings' }));
    expect(findings.getByText('Switching: 1 of 2 DNS servers show the new MX record.').parentElement!.textContent).toMatch(/old server for up to 40 minutes more/);
    expect(findings.getByText(`Other MX records are left over: ${OLD_MX}.`)).toBeTruthy();
    expect(findings.getByText(`${DOMAIN} has 2 SPF records, so other mail servers treat all its mail as unverified.`)).toBeTruthy();
    expect(findings.getByText('Outlook and phones will find the new mailbox from the address alone.')).toBeTruthy();
    expect([findingLevel('spf-multiple'), findingLevel('mx-mixed'), findingLevel('autodiscover-ok')]).toEqual(['blocking', 'warning', 'ok']);
    // Blocking first, then warnings, then what is fine.
    expect([...document.querySelectorAll('[data-finding]')].map((e) => e.getAttribute('data-finding'))).toEqual(['spf-multiple', 'mx-mixed', 'mx-leftover', 'autodiscover-ok']);
    const rows = within(screen.getByRole('table', { name: 'What each DNS server says' })).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual([
      `This computer’s DNS server192.168.1.1${OLD_MX} (priority 10)1 hourNot yet`,
      `Your domain’s DNS serverns1.dns-host.example (198.51.100.53)${MICROSOFT_MX} (priority 0)5 minutesYes`,
    ]);
    expect(fake.state().lastDns).toEqual({ domain: DOMAIN, state: 'mixed', switched: 1, answered: 2, blocking: 1, at: '2026-11-30T12:04:00.000Z' });
    expect(stepStatus('10. Switch your domain')).toBe('attention');
    expect(document.body.textContent).not.toMatch(/undefined|NaN|\[object/);

    answer = dnsReport([{ ...SYSTEM, mx: NS1.mx, ttl: 120, switched: true }, NS1], [{ level: 'ok', code: 'mx-switched', facts: { resolvers: 2 } }]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check again' })));
    expect(await screen.findByText(`Switched: mail for ${DOMAIN} goes to Microsoft 365.`)).toBeTruthy();
    expect(screen.getByText(`Mail for ${DOMAIN} now goes to Microsoft 365.`).parentElement!.textContent).toMatch(/All 2 DNS servers asked show the new MX record/);
    expect(stepStatus('10. Switch your domain')).toBe('done');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Next' })));
    expect(await screen.findByRole('heading', { name: 'Devices that send mail' })).toBeTruthy();
    expect(fake.state().completed).toContain('switch-domain');
  });

  it('asks for the MX value when Microsoft 365 may not tell it, with both forms as a hint, and sends only a valid one', async () => {
    const fake = fakeApi(
      {
        checkDns: (_domain, options) =>
          dnsReport(
            [SYSTEM],
            [
              { level: 'warning', code: 'mx-old', facts: { current: [OLD_MX], expected: options.expectMx } },
              ...(options.expectMx ? [] : [{ level: 'warning' as const, code: 'expected-mx-unknown' as const, facts: { reason: 'forbidden' as const } }]),
              { level: 'warning', code: 'mx-ttl-long', facts: { ttl: 86400, lowerTo: 300, switchAfter: '2026-12-01T12:04:00.000Z' } },
            ],
            { expectedMx: options.expectMx, expectedMxSource: options.expectMx ? 'given' : null },
          ),
      },
      { ...m365, step: 'switch-domain' },
    );
    renderApp(fake.api);
    expect(await screen.findByText(`Not switched yet: mail for ${DOMAIN} still goes to the old server.`)).toBeTruthy();
    expect(screen.getByText(/Your account may not read your domain’s settings in Microsoft 365/)).toBeTruthy();
    expect(screen.getByText(/DNS servers may keep the old MX record for up to 1 day after you change it/).parentElement!.textContent).toMatch(/Lower the MX record’s TTL to 5 minutes/);
    const hint = screen.getByText(/It ends in \.mx\.microsoft \(newer domains\) or \.mail\.protection\.outlook\.com \(older ones\)/);
    expect(hint).toBeTruthy();
    type('The MX value Microsoft 365 gives you', 'contoso com');
    expect(screen.getByText(/Paste only the MX value/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check again' })));
    expect(fake.called('checkDns')).toHaveLength(1);
    type('The MX value Microsoft 365 gives you', `${MICROSOFT_MX.toUpperCase()}.`);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check again' })));
    expect(fake.called('checkDns')[1]!.args).toEqual([DOMAIN, { expectMx: MICROSOFT_MX, resolvers: [] }]);
    expect(await screen.findByText(new RegExp(`set the MX record of ${DOMAIN} to ${MICROSOFT_MX.replace(/\./g, '\\.')} with priority 0`))).toBeTruthy();
    expect(screen.queryByText(/may not read your domain’s settings/)).toBeNull();
    expect(stepStatus('10. Switch your domain')).toBe('todo');
    expect(fake.state().drafts['dns.expectMx']).toBe(`${MICROSOFT_MX.toUpperCase()}.`);
  });

  it('is not offered for another IMAP server as the new mailbox', async () => {
    const fake = fakeApi({}, { step: 'finish', target: { kind: 'imap', account: { host: 'imap.new.example', port: 993, user: 'anna', tls: 'implicit' } } });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Finish' });
    for (const name of ['10. Switch your domain', '11. Devices that send mail', '12. Outlook and phones']) expect(stepStatus(name)).toBe('not-needed');
  });
});

describe('Devices that send mail', () => {
  const signedIn = { m365Status: () => ({ signedIn: true, username: USER, name: 'Anna', hasClientId: true }) };

  it('shows the settings to copy, tests the sign-in with OAuth and words 5.7.139 with the admin’s command, never the server’s text', async () => {
    const fake = fakeApi(
      {
        ...signedIn,
        checkSmtp: (options) =>
          smtpResult({
            ok: false,
            stage: 'auth',
            method: 'oauth',
            reply: { code: 535, enhanced: '5.7.139', text: 'Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.' },
            advice: [
              { code: 'enable-smtp-auth', facts: { user: options.user, scope: 'tenant' } },
              { code: 'device-alternatives', facts: { domain: DOMAIN } },
            ],
          }),
      },
      { ...m365, step: 'sending-devices' },
    );
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Devices that send mail' });
    const card = screen.getByLabelText('Settings for devices and apps');
    expect(card.textContent).toContain('Serversmtp.office365.com');
    expect(card.textContent).toContain('Port587');
    expect(card.textContent).toContain('EncryptionSTARTTLS (TLS 1.2 or newer)');
    expect(card.textContent).toContain(`User name${USER}`);
    expect(within(card).getByRole('button', { name: 'Copy the server' })).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test sign-in (sends nothing)' })));
    expect(fake.called('checkSmtp').map((c) => c.args)).toEqual([[{ user: USER, host: 'smtp.office365.com', port: 587, auth: { kind: 'oauth' } }]]);
    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(result.textContent).toContain('The sending server refused the sign-in. Nothing was sent. The server answered 535 5.7.139.');
    expect(result.textContent).toContain('Sending from devices and apps is turned off for your whole organisation.');
    expect(within(result).getByRole('figure', { name: 'For your admin (Exchange Online PowerShell)' }).querySelector('code')!.textContent).toBe(`Set-CASMailbox -Identity ${USER} -SmtpClientAuthenticationDisabled $false`);
    expect(result.textContent).toContain(`Users → Active users → ${USER} → Mail → Manage email apps → “Authenticated SMTP”`);
    // The alternatives open by themselves when the answer points to them.
    expect(screen.getByText(/Direct send: port 25 to the MX host of contoso\.com/)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/aka\.ms|SmtpClientAuthentication is disabled/);
    expect(fake.state().lastSmtp).toMatchObject({ user: USER, ok: false });
    expect(stepStatus('11. Devices that send mail')).toBe('attention');
  });

  it('tests a password without keeping it, words 5.7.30, and after a working sign-in warns that passwords are retiring; the stepper shows it done', async () => {
    let answer = smtpResult({
      ok: false,
      method: 'password',
      reply: { code: 550, enhanced: '5.7.30', text: 'Basic authentication is not supported for Client Submission.' },
      advice: [{ code: 'basic-auth-off', facts: { user: USER } }, { code: 'device-alternatives', facts: { domain: DOMAIN } }],
    });
    const fake = fakeApi({ checkSmtp: () => answer }, { ...m365, step: 'sending-devices' });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Devices that send mail' });
    fireEvent.click(screen.getByLabelText('With the mailbox’s password'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test sign-in (sends nothing)' })));
    expect(screen.getByText(/Enter the password/)).toBeTruthy();
    expect(fake.called('checkSmtp')).toHaveLength(0);
    type('The mailbox’s password', 'printer-secret-123');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test sign-in (sends nothing)' })));
    expect(fake.called('checkSmtp')[0]!.args[0]).toEqual({ user: USER, host: 'smtp.office365.com', port: 587, auth: { kind: 'password', password: 'printer-secret-123' } });
    expect((await screen.findByRole('region', { name: 'Test result' })).textContent).toContain('Microsoft 365 no longer accepts a password for sending from devices.');

    answer = smtpResult({
      ok: true,
      method: 'password',
      reply: { code: 235, enhanced: '2.7.0', text: 'Authentication successful' },
      advice: [{ code: 'device-settings', facts: { host: 'smtp.office365.com', port: 587, user: USER, method: 'password' } }, { code: 'basic-auth-retiring', facts: {} }, { code: 'device-alternatives', facts: { domain: DOMAIN } }],
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test sign-in (sends nothing)' })));
    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(result.getAttribute('data-smtp-ok')).toBe('true');
    expect(result.textContent).toContain('The test sign-in worked. Nothing was sent.');
    expect(result.textContent).toContain(`server smtp.office365.com, port 587, STARTTLS, user name ${USER}, the mailbox’s password`);
    expect(result.textContent).toContain('Microsoft turns off passwords for sending from devices by default at the end of December 2026');
    expect(stepStatus('11. Devices that send mail')).toBe('done');
    expect(JSON.stringify(fake.state())).not.toContain('printer-secret-123');
  });

  it('asks for the Microsoft 365 sign-in before an OAuth test instead of calling the server', async () => {
    const fake = fakeApi({}, { ...m365, step: 'sending-devices' });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Devices that send mail' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test sign-in (sends nothing)' })));
    expect(await screen.findByText('Sign in to Microsoft 365 first')).toBeTruthy();
    expect(fake.called('checkSmtp')).toHaveLength(0);
    expect(stepStatus('11. Devices that send mail')).toBe('todo');
  });
});

describe('Outlook and phones', () => {
  const item = (id: string): HTMLInputElement => document.querySelector(`[data-item="${id}"] input[type="checkbox"]`)!;

  it('lists the engine’s checklist by section, saves each tick, restores the ticks after a reload, and is done only when all are ticked', async () => {
    const truth = deviceChecklist(USER);
    const ids = truth.flatMap((s) => s.items.map((i) => i.id));
    const fake = fakeApi({}, { ...m365, step: 'outlook-phones', checklistDone: ['new-outlook.add'] });
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Outlook and phones' });
    expect(fake.called('deviceChecklist').map((c) => c.args)).toEqual([[USER]]);
    expect(await screen.findByText(`1 of ${ids.length} done`)).toBeTruthy();
    for (const s of truth) expect(screen.getByRole('heading', { name: new RegExp(`^${s.title.replace(/[()]/g, '\\$&')} \\(`) })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'New Outlook for Windows, and Outlook for Mac' })).getAllByRole('checkbox')).toHaveLength(2);
    expect(screen.getByText(`Enter ${USER}, choose Connect and sign in. Restart Outlook when it asks.`)).toBeTruthy();
    expect(item('new-outlook.add').checked).toBe(true);
    expect(screen.getByRole('button', { name: '12. Outlook and phones' }).getAttribute('data-status')).toBe('todo');

    fireEvent.click(item('classic-outlook.keep-pst'));
    fireEvent.click(item('before.settled'));
    expect(fake.state().checklistDone).toEqual(['before.settled', 'new-outlook.add', 'classic-outlook.keep-pst']);
    expect(screen.getByText(`3 of ${ids.length} done`)).toBeTruthy();

    // A reload: the ticks come back from the saved wizard state.
    cleanup();
    renderApp(fake.api);
    await screen.findByText(`3 of ${ids.length} done`);
    // A finished section opens closed, and says so.
    const before = screen.getByRole('button', { name: 'Before you remove anything (done)' });
    expect(item('before.settled')).toBeNull();
    fireEvent.click(before);
    expect(['before.settled', 'new-outlook.add', 'classic-outlook.keep-pst'].map((id) => item(id).checked)).toEqual([true, true, true]);
    expect(screen.getByRole('button', { name: 'New Outlook for Windows, and Outlook for Mac (1 of 2)' })).toBeTruthy();
    expect(item('ios-mail.add').checked).toBe(false);

    for (const id of ids) if (!item(id).checked) fireEvent.click(item(id));
    expect(fake.state().checklistDone).toEqual(ids);
    expect(screen.getByText(`${ids.length} of ${ids.length} done`)).toBeTruthy();
    expect(screen.getByRole('button', { name: '12. Outlook and phones' }).getAttribute('data-status')).toBe('done');
    fireEvent.click(item('ios-mail.remove-old'));
    expect(screen.getByRole('button', { name: '12. Outlook and phones' }).getAttribute('data-status')).toBe('todo');
    expect(fake.state().checklistDone).not.toContain('ios-mail.remove-old');
  });
});

describe('Keep in step', () => {
  const source = { host: 'imap.old.example', port: 993, user: 'anna@old.example', tls: 'implicit' as const };
  const HOUR = 3600_000;

  it('starts and stops the watch for the pair, shows “in step”, the copied and late counts from the engine, and “safe to close” only when the engine says so', async () => {
    const now = Date.now();
    let status = watchStatus({ state: 'not-started', jobId: null, lastCheckedAt: null }, { now, compare: null });
    const late = [
      { folder: 'INBOX', subject: 'Invoice 2211', from: 'billing@supplier.example', receivedAt: new Date(now - 30 * HOUR).toISOString() },
      { folder: 'INBOX', subject: 'Re: Friday', from: 'ben@partner.example', receivedAt: new Date(now - 28 * HOUR).toISOString() },
      { folder: 'INBOX', subject: 'Newsletter', from: 'news@shop.example', receivedAt: new Date(now - 26 * HOUR).toISOString() },
    ];
    const fake = fakeApi(
      { startWatch: () => ({ jobId: 'watch-1', attached: false }), stopWatch: () => undefined, watchStatus: () => status },
      { ...m365, step: 'keep-in-step', source, completed: ['old-mailbox'] },
    );
    renderApp(fake.api);
    await screen.findByRole('heading', { name: 'Keep in step' });
    expect(await screen.findByText('Not keeping in step yet.')).toBeTruthy();
    expect(fake.called('watchStatus')[0]!.args).toEqual([source, { kind: 'm365', user: USER }]);
    // Without the old mailbox's password (never stored) nothing can start.
    expect((screen.getByRole('button', { name: 'Start keeping in step' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Enter them' }));
    type('Password', 'old-pw');
    fireEvent.click(screen.getByRole('button', { name: '9. Keep in step' }));
    await screen.findByRole('heading', { name: 'Keep in step' });
    const waiting = within(screen.getByRole('list', { name: 'Waiting for' }));
    expect(waiting.getByText(/the switch: Cutover has not yet seen your domain’s MX record point to Microsoft 365/)).toBeTruthy();

    status = watchStatus({ state: 'watching', copiedTotal: 12 }, { now, compare: null });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Start keeping in step' })));
    expect(fake.called('startWatch')[0]!.args).toEqual([{ source: { ...source, password: 'old-pw' }, target: { kind: 'm365', user: USER }, dns: { domain: DOMAIN, expectMx: null } }]);
    expect(await screen.findByText(`In step, last checked ${clock(status.lastCheckedAt!)}.`)).toBeTruthy();
    const cards = () => screen.getByRole('list', { name: 'Keeping in step' }).textContent;
    expect(cards()).toContain('12messages copied while keeping in step');
    expect(screen.getByRole('button', { name: '9. Keep in step' }).getAttribute('data-status')).toBe('todo');

    // An event of the watch: the page reads the status again.
    status = watchStatus(
      { state: 'watching', copiedTotal: 15, switchSeenAt: new Date(now - 40 * HOUR).toISOString(), lateArrivals: { count: 3, lastAt: late[2]!.receivedAt, items: late } },
      { now, compare: { at: now - HOUR, missing: 0 } },
    );
    await act(async () => fake.emit({ type: 'watch-event', jobId: 'watch-1', event: { type: 'late-arrival', item: late[2]! } }));
    expect(await screen.findByText('3 messages reached the old server after the switch — copied.')).toBeTruthy();
    expect(cards()).toContain('15messages copied while keeping in step');
    expect(cards()).toContain('3late arrivals after the switch');
    // The engine's verdict: the 72-hour sweep is still running, so not safe yet, and the page says why.
    expect(status.safeToClose).toEqual({ ok: false, waitingFor: ['sweep-running'] });
    expect(screen.queryByText('Safe to close the old mailbox')).toBeNull();
    expect(within(screen.getByRole('list', { name: 'Waiting for' })).getByText(new RegExp(`until ${clock(status.sweepUntil!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Late arrivals (3)' }));
    const rows = within(screen.getByRole('table', { name: 'Late arrivals' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(late.map((m) => `${dateTime(m.receivedAt)}${m.from}${m.subject}${m.folder}`));

    status = watchStatus(
      { state: 'watching', copiedTotal: 15, switchSeenAt: new Date(now - 80 * HOUR).toISOString(), lateArrivals: { count: 3, lastAt: late[2]!.receivedAt, items: late } },
      { now, compare: { at: now - HOUR, missing: 0 } },
    );
    expect(status.safeToClose.ok).toBe(true);
    await act(async () => fake.emit({ type: 'watch-event', jobId: 'watch-1', event: { type: 'safe-to-close', at: new Date(now).toISOString() } }));
    expect(await screen.findByText('Safe to close the old mailbox')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Waiting for' })).toBeNull();
    expect(screen.getByRole('button', { name: '9. Keep in step' }).getAttribute('data-status')).toBe('done');

    status = { ...status, state: 'stopped', jobId: null };
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Stop keeping in step' })));
    expect(fake.called('stopWatch').map((c) => c.args)).toEqual([['watch-1']]);
    expect(await screen.findByText(/^Stopped: not keeping in step/)).toBeTruthy();
  });
});
