import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deviceChecklist } from '../../src/main/engine/cutover/device-checklist.js';
import { tempStateDir } from '../harness/accounts.js';
import { startNameServers, TestDnsServer, type TestZone } from '../harness/dns-server.js';
import { ExchangeLikeSmtp } from '../harness/smtp-server.js';
import { startWebHostProcess, type WebHostProcess } from '../harness/web-host-process.js';
import { expectAccessible, heading, inView, launchChromium, shot } from './e2e-helpers.js';

const oidc = inject('oidc');
const pki = inject('pki');

const DOMAIN = 'fabrikam.test';
const USER = `anna@${DOMAIN}`;
const OLD_MX = 'mail.old-host.test';
const MICROSOFT = 'fabrikam-test.mail.protection.outlook.com';

function zone(mx: string): TestZone {
  return {
    domain: DOMAIN,
    mx: [{ host: mx, priority: mx === MICROSOFT ? 0 : 10 }],
    mxTtl: 300,
    txt: ['v=spf1 include:spf.protection.outlook.com -all'],
    autodiscover: 'autodiscover.outlook.com',
    nameServers: [{ name: 'ns1.fabrikam.test', address: '127.0.0.2' }],
  };
}

let browser: Browser;
let system: TestDnsServer;
let nameServers: TestDnsServer[];
let smtp: ExchangeLikeSmtp;
let host: WebHostProcess;

beforeAll(async () => {
  browser = await launchChromium();
  system = await TestDnsServer.start(zone(OLD_MX));
  const ns = await startNameServers(zone(OLD_MX), 1);
  nameServers = ns.servers;
  smtp = await ExchangeLikeSmtp.start(pki, oidc);
  smtp.mailbox(USER, { smtpAuthDisabled: 'mailbox', basicAuth: true, password: 'printer-pw-7' });
  // After the copy: the wizard remembers the pair (Microsoft 365 as the new mailbox) and stands on Finish.
  const stateDir = tempStateDir();
  writeFileSync(join(stateDir, 'wizard.json'), JSON.stringify({ step: 'finish', email: 'anna@old.example', source: { host: '127.0.0.1', port: 993, user: 'anna@old.example', tls: 'implicit' }, target: { kind: 'm365', user: USER } }));
  host = await startWebHostProcess(['--state-dir', stateDir, '--ca', pki.caFile], { CUTOVER_DNS_SERVERS: system.text, CUTOVER_DNS_PORT: String(ns.port) });
}, 120_000);
afterAll(async () => Promise.all([browser?.close(), host?.stop(), system?.stop(), ...(nameServers ?? []).map((s) => s.stop()), smtp?.stop()]));

/** What a person sees at 900×600: the primary button in the window, nothing wider than the window. */
async function looksRight(page: Page, name: string, primary: string): Promise<void> {
  await expectAccessible(page, name);
  expect(await inView(page, primary), `"${primary}" in view on ${name}`).toBe(true);
  expect(await page.evaluate('document.documentElement.scrollWidth'), `no sideways scrolling on ${name}`).toBeLessThanOrEqual(900);
  await shot(page, `cutover-day-${name}-900`);
}

describe('the cutover day in Chromium at 900×600, with a real DNS server and an Exchange-like SMTP server on 127.0.0.1', () => {
  it('walks from Finish through keep in step, the DNS switch, the devices’ test sign-in and the checklist, which survives a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(host.url);
    await expect.poll(() => heading(page)).toBe('Finish');
    expect(await page.locator('main').textContent()).not.toMatch(/Point your domain’s MX record/);

    // Keep in step: the engine's real status for a pair never watched; starting needs the passwords again.
    await page.getByRole('button', { name: 'Keep in step', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Keep in step');
    await expect.poll(() => page.getByText('Not keeping in step yet.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Start keeping in step' }).isDisabled()).toBe(true);
    await looksRight(page, 'keep-in-step', 'Start keeping in step');

    // Switch your domain: checked by itself; not signed in, so the MX value is pasted.
    await page.getByRole('button', { name: '10. Switch your domain' }).click();
    await expect.poll(() => heading(page)).toBe('Switch your domain');
    await expect.poll(() => page.getByText(`Not switched yet: mail for ${DOMAIN} still goes to the old server.`).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText(/You are not signed in to Microsoft 365/).count()).toBe(1);
    await page.getByLabel('The MX value Microsoft 365 gives you').fill(MICROSOFT);
    nameServers[0]!.zone = zone(MICROSOFT);
    await page.keyboard.press('Enter');
    // The truth: 2 servers asked (this computer's and the domain's), 1 shows the new MX.
    await expect.poll(() => page.getByText('Switching: 1 of 2 DNS servers show Microsoft 365.').count(), { timeout: 30_000 }).toBe(1);
    const rows = await page.getByRole('table', { name: 'What each DNS server says' }).getByRole('row').allTextContents();
    expect(rows.slice(1)).toEqual([
      `This computer’s DNS server${system.text}${OLD_MX} (priority 10)5 minutesNot yet`,
      `Your domain’s DNS serverns1.fabrikam.test (${nameServers[0]!.text})${MICROSOFT} (priority 0)5 minutesYes`,
    ]);
    await looksRight(page, 'switch-domain-mixed', 'Check again');
    system.zone = zone(MICROSOFT);
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.getByText(`Switched: mail for ${DOMAIN} goes to Microsoft 365.`).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText(`Mail for ${DOMAIN} now goes to Microsoft 365.`).count()).toBe(1);
    await looksRight(page, 'switch-domain-switched', 'Next');
    await page.getByRole('button', { name: 'Next' }).click();

    // Devices that send mail: a password test against the Exchange-like server; SMTP AUTH is off for the mailbox.
    await expect.poll(() => heading(page)).toBe('Devices that send mail');
    await page.getByLabel('With the mailbox’s password').check();
    await page.getByLabel('The mailbox’s password', { exact: true }).fill('printer-pw-7');
    await page.getByRole('button', { name: 'Show details: another sending server' }).click();
    await page.getByLabel('Sending server').fill('127.0.0.1');
    await page.getByLabel('Sending port').fill(String(smtp.port));
    await page.getByRole('button', { name: 'Test sign-in (sends nothing)' }).click();
    await expect.poll(() => page.getByText('Sending from devices and apps is turned off for this mailbox.').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('figure code').textContent()).toBe(`Set-CASMailbox -Identity ${USER} -SmtpClientAuthenticationDisabled $false`);
    expect(await page.getByRole('region', { name: 'Test result' }).textContent()).toContain('The server answered 535 5.7.139.');
    await looksRight(page, 'devices-refused', 'Test sign-in (sends nothing)');
    smtp.mailbox(USER, { smtpAuthDisabled: false });
    await page.getByRole('button', { name: 'Test sign-in (sends nothing)' }).click();
    await expect.poll(() => page.getByText('The test sign-in worked. Nothing was sent.').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText(/Microsoft turns off passwords for sending from devices/).count()).toBe(1);
    // Nothing was ever sent: the server saw no MAIL FROM and no DATA.
    expect(smtp.mailFromAttempts).toBe(0);
    expect(smtp.commands.filter((c) => c.startsWith('MAIL') || c.startsWith('DATA'))).toEqual([]);
    await looksRight(page, 'devices-ok', 'Test sign-in (sends nothing)');
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    // Outlook and phones: ticks are saved and come back after a reload.
    await expect.poll(() => heading(page)).toBe('Outlook and phones');
    const total = deviceChecklist(USER).reduce((n, s) => n + s.items.length, 0);
    await expect.poll(() => page.getByText(`0 of ${total} done`).count()).toBe(1);
    await page.getByRole('checkbox', { name: 'Wait until the move has settled' }).check();
    await page.getByRole('list', { name: 'Mail on iPhone and iPad' }).getByRole('checkbox', { name: `Add ${USER}` }).check();
    await expect.poll(() => page.getByText(`2 of ${total} done`).count()).toBe(1);
    await looksRight(page, 'outlook-phones', 'Done for now');
    await page.reload();
    await expect.poll(() => heading(page)).toBe('Outlook and phones');
    await expect.poll(() => page.getByText(`2 of ${total} done`).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Mail on iPhone and iPad' }).getByRole('checkbox', { name: `Add ${USER}` }).isChecked()).toBe(true);
    // The stepper after the reload: the switch and the devices are done (from the saved verdicts).
    expect(await page.getByRole('button', { name: '10. Switch your domain' }).getAttribute('data-status')).toBe('done');
    expect(await page.getByRole('button', { name: '11. Devices that send mail' }).getAttribute('data-status')).toBe('done');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
