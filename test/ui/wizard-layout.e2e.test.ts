import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { seed, simpleMessage } from '../harness/mailbox.js';
import { startWebHostProcess } from '../harness/web-host-process.js';
import { cards, copyDone, expectAccessible, fillAccount, heading, inView, launchChromium, shot } from './e2e-helpers.js';

const dovecot = inject('dovecot');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

/** Console messages that mean the page broke: CSP refusals (Griffel's styles), React errors, failed requests. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

/** Presses Tab until the focus is on the button with this name (bounded), then Enter. */
async function tabToAndPress(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate('document.activeElement && document.activeElement.textContent')) as string | null;
    const tag = (await page.evaluate('document.activeElement && document.activeElement.tagName')) as string | null;
    if (tag === 'BUTTON' && focused?.trim() === name) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`"${name}" cannot be reached with Tab`);
}

/** From the focused Server field, by keyboard: server, port, (security as it is), user name, password. */
async function typeAccount(page: Page, user: string): Promise<void> {
  expect(await page.evaluate('document.activeElement.closest(".fui-Field").textContent')).toMatch(/^Server/);
  for (const [value, tabs] of [
    ['127.0.0.1', 1],
    [String(dovecot.imapsPort), 2],
    [user, 1],
    [TEST_PASSWORD, 0],
  ] as const) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value);
    for (let i = 0; i < tabs; i++) await page.keyboard.press('Tab');
  }
}

describe('the wizard’s layout and words in Chromium', () => {
  it('keeps typed values across the stepper, explains port 99999 beside the field, and without a client ID tells what to ask the admin', async () => {
    const host = await startWebHostProcess(['--state-dir', tempStateDir()], { CUTOVER_CLIENT_ID: '' });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems = watchConsole(page);
      await page.goto(host.url);
      await expect.poll(() => heading(page)).toBe('Old mailbox');
      await page.getByLabel('E-mail address', { exact: true }).fill('anna@old.example');
      await page.getByLabel('Server', { exact: true }).fill('imap.old.example');
      await page.getByLabel('Port', { exact: true }).fill('99999');
      await expect.poll(() => page.getByText('The port must be between 1 and 65535').count()).toBe(1);
      await page.getByLabel('Password', { exact: true }).fill('secret');
      // The user name followed the address.
      expect(await page.getByLabel('User name', { exact: true }).inputValue()).toBe('anna@old.example');
      await shot(page, 'layout-port-99999');
      await page.getByRole('button', { name: 'Next' }).click();
      expect(await heading(page)).toBe('Old mailbox');
      // The focus goes to the field that needs fixing (after the page has shown its sentence).
      await expect.poll(() => page.evaluate('document.activeElement.value')).toBe('99999');

      // Away with the stepper and back: everything is still there (the password too, in memory).
      await page.getByRole('button', { name: '2. New mailbox' }).click();
      await expect.poll(() => heading(page)).toBe('New mailbox');
      // The new address is never the old one.
      expect(await page.getByLabel('Microsoft 365 address').inputValue()).toBe('');
      await page.getByLabel('Microsoft 365 address').fill('anna@contoso.com');
      await expect.poll(() => page.getByText('Ask your admin first').count()).toBe(1);
      const message = await page.getByLabel('Message for your admin').inputValue();
      expect(message).toContain('https://login.microsoftonline.com/contoso.com/v2.0/adminconsent?client_id=');
      expect(message).toContain('IMAP.AccessAsUser.All');
      expect(await page.locator('main').textContent()).not.toMatch(/README/);
      await expectAccessible(page, 'new mailbox without a client ID');
      await shot(page, 'layout-admin-message');
      await page.getByRole('button', { name: '1. Old mailbox' }).click();
      await expect.poll(() => heading(page)).toBe('Old mailbox');
      expect(await page.getByLabel('Server', { exact: true }).inputValue()).toBe('imap.old.example');
      expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('99999');
      expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('secret');
      // And after a reload (drafts are saved as typed; the password is not).
      await page.reload();
      await expect.poll(() => heading(page)).toBe('Old mailbox');
      expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe('99999');
      expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
      // Fluent's styles (Griffel inserts them at run time) work under the page's CSP: the primary button is brand blue.
      expect(await page.evaluate(`getComputedStyle([...document.querySelectorAll('button')].find((b) => b.textContent === 'Next')).backgroundColor`)).toBe('rgb(15, 108, 189)');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await host.stop();
    }
  }, 90_000);

  it('at 900×600 and 800×600 the stepper is a bar and the primary button stays in view, light and dark, and the keyboard alone gets through', async () => {
    const src = addUser(dovecot, 'uil');
    const dst = addUser(dovecot, 'uild');
    const folders = ['Archive', 'Clients', 'Clients Acme', 'Clients Globex', 'Family', 'Invoices', 'Newsletters', 'Projects', 'Receipts', 'Sent', 'Travel'];
    await seed(dovecot, src, folders, [...folders, 'INBOX'].map((folder, i) => ({ folder, raw: simpleMessage(i, { subject: `Message in ${folder}` }) })));
    for (const [width, height, scheme] of [
      [900, 600, 'light'],
      [800, 600, 'dark'],
    ] as const) {
      const host = await startWebHostProcess(['--state-dir', tempStateDir(), '--ca', dovecot.caFile]);
      try {
        const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
        const problems = watchConsole(page);
        await page.goto(host.url);
        await expect.poll(() => heading(page)).toBe('Old mailbox');
        const name = `${width}x${height}-${scheme}`;
        if (scheme === 'dark') expect(await page.evaluate(`getComputedStyle(document.querySelector('.provider')).backgroundColor`)).toBe('rgb(41, 41, 41)');
        // The stepper is a bar above the content: the first field is beside nothing.
        const nav = await page.getByRole('navigation', { name: 'Migration steps' }).boundingBox();
        expect(nav!.width).toBeGreaterThan(width - 40);
        expect(await inView(page, 'Next')).toBe(true);
        await shot(page, `${name}-1-old-mailbox`, false);

        if (width === 900) {
          // Keyboard alone: the skip link first, then the step's heading, then the first field.
          await page.keyboard.press('Tab');
          expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to the current step');
          await page.keyboard.press('Enter');
          expect(await page.evaluate('document.activeElement.id')).toBe('step-heading');
          await page.keyboard.press('Tab');
          expect(await page.evaluate('document.activeElement.type')).toBe('email');
          await page.keyboard.type(`${src}@example.test`);
          await page.keyboard.press('Tab'); // "Find my settings"
          await page.keyboard.press('Tab');
          await typeAccount(page, src);
          // Enter in a field runs the primary action: test the connection, then go on.
          await page.keyboard.press('Enter');
        } else {
          await page.getByLabel('E-mail address', { exact: true }).fill(`${src}@example.test`);
          await fillAccount(page, dovecot, src, TEST_PASSWORD);
          await page.getByRole('button', { name: 'Next' }).click();
        }
        await expect.poll(() => heading(page), { timeout: 20_000 }).toBe('New mailbox');
        await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('step-heading');
        if (width === 900) {
          await page.keyboard.press('Tab');
          await page.keyboard.press('ArrowDown');
          expect(await page.getByLabel('Another IMAP mailbox').isChecked()).toBe(true);
          await page.keyboard.press('Tab');
          await typeAccount(page, dst);
        } else {
          await page.getByLabel('Another IMAP mailbox').check();
          await fillAccount(page, dovecot, dst, TEST_PASSWORD);
        }
        expect(await inView(page, 'Next')).toBe(true);
        await expectAccessible(page, `${name} new mailbox`);
        await shot(page, `${name}-2-new-mailbox`, false);
        if (width === 900) await page.keyboard.press('Enter');
        else await page.getByRole('button', { name: 'Next' }).click();

        await expect.poll(() => page.getByRole('list', { name: 'Findings' }).count(), { timeout: 30_000 }).toBe(1);
        expect(await page.getByRole('list', { name: 'Findings' }).textContent()).toMatch(/12 messages .* in 12 folders/);
        expect(await inView(page, 'Next')).toBe(true);
        await expectAccessible(page, `${name} check`);
        await shot(page, `${name}-3-check`, false);
        if (width === 900) await tabToAndPress(page, 'Next');
        else await page.getByRole('button', { name: 'Next' }).click();

        await expect.poll(() => page.getByRole('table', { name: 'Folder mapping' }).count(), { timeout: 20_000 }).toBe(1);
        expect(await inView(page, 'Next')).toBe(true);
        // The table scrolls sideways inside its box instead of widening the page.
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        await expectAccessible(page, `${name} folders`);
        await shot(page, `${name}-4-folders`, false);
        if (width === 900) {
          await tabToAndPress(page, 'Next');
          await expect.poll(() => heading(page)).toBe('Copy mail');
          await tabToAndPress(page, 'Start copying');
          await expect.poll(() => copyDone(page), { timeout: 30_000 }).toBe(true);
          expect(await cards(page)).toMatchObject({ copied: 12, 'left to copy': 0 });
          await expectAccessible(page, `${name} copy`);
          expect(await inView(page, 'Next')).toBe(true);
          await shot(page, `${name}-5-copy-mail`);
          await tabToAndPress(page, 'Next');
          await expect.poll(() => heading(page)).toBe('Contacts and calendar');
          expect(await inView(page, 'Next')).toBe(true);
          await expectAccessible(page, `${name} contacts and calendar`);
          await tabToAndPress(page, 'Next');
          await expect.poll(() => heading(page)).toBe('Compare');
          await tabToAndPress(page, 'Compare the mailboxes');
          await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 }).toBe('Nothing is missing and nothing is duplicated in the new mailbox.');
          await expectAccessible(page, `${name} compare`);
          await shot(page, `${name}-7-compare`);
          await tabToAndPress(page, 'Next');
          await expect.poll(() => heading(page)).toBe('Finish');
          expect(await page.getByRole('status').first().textContent()).toMatch(/nothing is missing/);
          await expectAccessible(page, `${name} finish`);
          await shot(page, `${name}-8-finish`, false);
        }
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await host.stop();
      }
    }
  }, 240_000);
});
