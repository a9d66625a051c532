import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { seed, snapshot } from '../harness/mailbox.js';
import { REPO_ROOT } from '../harness/run-cli.js';
import { startWebHostProcess, type WebHostProcess } from '../harness/web-host-process.js';
import { cards, expectAccessible, fillAccount, heading, launchChromium, shot, SHOTS } from './e2e-helpers.js';
import { size } from '../../src/renderer/words/numbers.js';
import { REALISTIC_FOLDERS, REALISTIC_TOTAL, realisticMailbox } from './realistic-mailbox.js';

/**
 * The wizard walked as a person would, with a mailbox as a person has one (a few hundred messages in
 * eight folders, some large attachments, one too large for a 5 MB new mailbox), at 1280×800. Every
 * number on the page is checked against the mailboxes themselves. `npm run screenshots` runs this walk
 * with CUTOVER_README_SHOTS=1, which also puts its pictures where the README shows them.
 */
const dovecot = inject('dovecot');
const README_SHOTS = join(REPO_ROOT, 'assets', 'screenshots');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

/** A screenshot for the test's artifacts and, when asked for, for the README. */
async function picture(page: Page, name: string): Promise<void> {
  await shot(page, `realistic-${name}`);
  if (process.env.CUTOVER_README_SHOTS === '1') {
    mkdirSync(README_SHOTS, { recursive: true });
    copyFileSync(join(SHOTS, `realistic-${name}.png`), join(README_SHOTS, `${name}.png`));
  }
}

describe('the wizard with a realistic mailbox', () => {
  let host: WebHostProcess | null = null;
  afterAll(async () => host?.stop());

  it('copies 442 messages in 8 folders, names the one the new mailbox refused, and the comparison finds exactly that one missing', async () => {
    const src = addUser(dovecot, 'realistic source');
    const dst = addUser(dovecot, 'realistic target, 5 MB limit', { limit5mb: true });
    const { folders, messages } = realisticMailbox('.');
    await seed(dovecot, src, folders, messages);
    expect(REALISTIC_TOTAL).toBe(442);

    host = await startWebHostProcess(['--state-dir', tempStateDir(), '--ca', dovecot.caFile]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);

    await expect.poll(() => heading(page)).toBe('Old mailbox');
    await page.getByLabel('E-mail address', { exact: true }).fill('anna@old.example');
    await fillAccount(page, dovecot, src, TEST_PASSWORD);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByText('Connected: Cutover can read this mailbox.').count(), { timeout: 20_000 }).toBe(1);
    await picture(page, '1-old-mailbox');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect.poll(() => heading(page)).toBe('New mailbox');
    await page.getByLabel('Another IMAP mailbox').check();
    await fillAccount(page, dovecot, dst, TEST_PASSWORD);
    await page.getByRole('button', { name: 'Next' }).click();

    // The check counts what is really there: 442 messages, their bytes, and 10 folders (with the parents Archive and Clients).
    const bytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.raw), 0);
    await expect.poll(() => page.getByRole('list', { name: 'Findings' }).textContent(), { timeout: 30_000 }).toContain(`The old mailbox has 442 messages (${size(bytes)}) in 10 folders.`);
    await expectAccessible(page, 'check, realistic');
    await picture(page, '3-check');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect.poll(() => page.getByRole('table', { name: 'Folder mapping' }).textContent(), { timeout: 20_000 }).toMatch(/Clients.Globex/);
    await picture(page, '4-folders');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect.poll(() => heading(page)).toBe('Copy mail');
    await page.getByRole('button', { name: 'Start copying' }).click();
    await expect.poll(() => page.getByText('Done, but not everything is in the new mailbox.', { exact: true }).count(), { timeout: 180_000 }).toBe(1);
    // The cards add up to the truth: everything but the 6.2 MB video is in the 5 MB mailbox.
    const target = await snapshot(dovecot, dst);
    expect([...target.values()].reduce((n, list) => n + list.length, 0)).toBe(REALISTIC_TOTAL - 1);
    expect(target.get('Family')?.length).toBe(REALISTIC_FOLDERS.Family! - 1);
    expect(await cards(page)).toEqual({ copied: REALISTIC_TOTAL - 1, 'were already there': 0, 'left to copy': 0, refused: 1 });
    await expect.poll(() => page.getByRole('table', { name: 'Messages the new mailbox refused' }).textContent()).toMatch(/Our holiday video/);
    await expectAccessible(page, 'copy, realistic');
    await picture(page, '5-copy-mail');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect.poll(() => heading(page)).toBe('Contacts and calendar');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => heading(page)).toBe('Compare');
    await page.getByRole('button', { name: 'Compare the mailboxes' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 60_000 }).toBe(
      '1 message is missing in the new mailbox. The new mailbox refused it when Cutover copied it (see “Copy mail”): keep it in the old mailbox or save it elsewhere.',
    );
    // Per folder: every folder's count is the seeded one; Family misses the refused video.
    const table = (await page.getByRole('table').first().textContent()) ?? '';
    for (const folder of Object.keys(REALISTIC_FOLDERS)) expect(table).toContain(folder.replace('/', '.'));
    await page.getByRole('button', { name: 'Show the messages of “Family”' }).click();
    await expect.poll(() => page.getByRole('table', { name: /Missing in/ }).textContent()).toMatch(/Our holiday video/);
    await expectAccessible(page, 'compare, realistic');
    await picture(page, '7-compare-missing');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect.poll(() => heading(page)).toBe('Finish');
    expect(await page.getByRole('status').first().textContent()).toMatch(/^Not finished yet/);
    await picture(page, '8-finish');
    await page.close();
  }, 420_000);
});
