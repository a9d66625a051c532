import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { digest, messageCount, openClient, seed, simpleMessage, snapshot, type SeedMessage } from '../harness/mailbox.js';
import { REPO_ROOT } from '../harness/run-cli.js';
import { TcpProxy } from '../harness/tcp-proxy.js';
import { startWebHostProcess, type WebHostProcess } from '../harness/web-host-process.js';
import { cards, copyDone, expectAccessible, fillAccount as fill, heading, launchChromium, shot } from './e2e-helpers.js';
import { journalRows } from '../harness/journal.js';

const dovecot = inject('dovecot');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

const fillAccount = (page: Page, user: string, password: string): Promise<void> => fill(page, dovecot, user, password);

describe('the migration wizard in a real browser', () => {
  let host: WebHostProcess | null = null;
  afterAll(async () => host?.stop());

  it('goes from empty to "nothing missing", explains a wrong password, and shows a deliberately missing message', async () => {
    const src = addUser(dovecot, 'ui');
    const dst = addUser(dovecot, 'uid');
    await seed(dovecot, src, ['Projects', 'Sent'], [
      { folder: 'INBOX', raw: simpleMessage(1, { subject: 'Welcome' }) },
      { folder: 'INBOX', raw: simpleMessage(2, { subject: 'Invoice March' }), flags: ['\\Seen'] },
      { folder: 'Projects', raw: simpleMessage(3, { subject: 'Plan' }) },
      { folder: 'Sent', raw: simpleMessage(4, { subject: 'Re: Plan' }) },
    ]);
    const stateDir = tempStateDir();
    host = await startWebHostProcess(['--state-dir', stateDir, '--ca', dovecot.caFile]);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(host.url);

    // 1. Old mailbox: a wrong password first, explained in plain words.
    await expect.poll(() => heading(page)).toBe('Old mailbox');
    await page.getByLabel('E-mail address', { exact: true }).fill(`${src}@example.test`);
    await fillAccount(page, src, 'wrong password');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/The old mail server refused the user name or password/);
    expect(await page.getByRole('alert').textContent()).not.toContain('@127.0.0.1');
    await shot(page, '1-old-mailbox-wrong-password');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    // The stale error goes as soon as the input changes.
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByText('Connected: Cutover can read this mailbox.').count(), { timeout: 15_000 }).toBe(1);
    await expectAccessible(page, 'old mailbox');
    await shot(page, '1-old-mailbox');
    await page.getByRole('button', { name: 'Next' }).click();

    // 2. New mailbox (another IMAP server here). Next tests the connection first.
    await expect.poll(() => heading(page)).toBe('New mailbox');
    await page.getByLabel('Another IMAP mailbox').check();
    await fillAccount(page, dst, TEST_PASSWORD);
    await expectAccessible(page, 'new mailbox');
    await shot(page, '2-new-mailbox');
    await page.getByRole('button', { name: 'Next' }).click();

    // 3. Check: it starts by itself.
    await expect.poll(() => page.getByRole('list', { name: 'Findings' }).textContent(), { timeout: 20_000 }).toMatch(/4 messages .* in 3 folders/);
    await expectAccessible(page, 'check');
    await shot(page, '3-check');
    await page.getByRole('button', { name: 'Next' }).click();

    // 4. Folders.
    await expect.poll(() => page.getByRole('table', { name: 'Folder mapping' }).textContent(), { timeout: 20_000 }).toMatch(/Projects/);
    await expectAccessible(page, 'folders');
    await shot(page, '4-folders');
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByLabel('Connections at once').waitFor();
    await expectAccessible(page, 'folders, advanced');
    await shot(page, '4-folders-advanced');
    await page.getByRole('button', { name: 'Next' }).click();

    // 5. Copy mail.
    await page.getByRole('button', { name: 'Start copying' }).click();
    await expect.poll(() => copyDone(page), { timeout: 30_000 }).toBe(true);
    expect(await cards(page)).toEqual({ copied: 4, 'were already there': 0, 'left to copy': 0, refused: 0 });
    await expectAccessible(page, 'copy');
    await shot(page, '5-copy-mail');
    await page.getByRole('button', { name: 'Next' }).click();
    // 6. Contacts and calendar need Microsoft 365 (covered below): the step says so at once.
    await expect.poll(() => page.getByText('Not needed for this new mailbox').count()).toBe(1);
    await expectAccessible(page, 'contacts and calendar, IMAP target');
    await page.getByRole('button', { name: 'Next' }).click();

    // 7. Compare: nothing missing.
    await expect.poll(() => heading(page)).toBe('Compare');
    await page.getByRole('button', { name: 'Compare the mailboxes' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 20_000 }).toBe('Nothing is missing and nothing is duplicated in the new mailbox.');
    await expectAccessible(page, 'compare');
    await shot(page, '7-compare');
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));

    // A message disappears from the new mailbox: the comparison shows it, with its subject.
    const client = await openClient(dovecot, dst);
    await client.mailboxOpen('INBOX');
    const uids = (await client.search({ header: { subject: 'Invoice March' } }, { uid: true })) || [];
    await client.messageDelete(uids, { uid: true });
    await client.logout();
    await page.getByRole('button', { name: 'Compare again' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 20_000 }).toBe('1 message is missing in the new mailbox.');
    await page.getByRole('button', { name: 'Show the messages of “INBOX”' }).click();
    await expect.poll(() => page.getByRole('table', { name: /Missing in/ }).textContent()).toMatch(/Invoice March/);
    await shot(page, '7-compare-missing');

    // Copy the missing one back right here: the comparison runs again by itself (no dead end).
    await page.getByRole('button', { name: 'Copy the missing ones' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 }).toBe('Nothing is missing and nothing is duplicated in the new mailbox.');
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/nothing is missing/);
    expect(await page.locator('main').textContent()).not.toMatch(/MX record to Microsoft 365/);
    // "Mail copied" is the pair's total in the new mailbox, not the 1 message of the last run.
    expect(await page.getByRole('list', { name: 'What happened' }).textContent()).toMatch(/4\s*messages in the new mailbox/);
    await expectAccessible(page, 'finish');
    await shot(page, '8-finish');

    // The log says what happened, and never a password or a message's contents.
    await page.getByRole('button', { name: 'Open the log folder' }).click();
    await expect.poll(() => page.getByText(/The log is in/).textContent()).toContain(join(stateDir, 'logs'));
    const log = readFileSync(join(stateDir, 'logs', 'cutover.log'), 'utf8');
    expect(log).toContain('"event":"sync-finished"');
    expect(log).toContain('"event":"connection-test-failed"');
    const saved = /The comparison is saved as (\S+\.html)\./.exec((await page.locator('main').textContent()) ?? '')?.[1];
    expect(saved && readFileSync(saved, 'utf8')).toContain('nothing is missing in the new mailbox');
    for (const secret of [TEST_PASSWORD, 'wrong password', 'Invoice March']) expect(log).not.toContain(secret);
    // The wizard remembers where the user is (but never a password).
    await page.reload();
    await expect.poll(() => heading(page)).toBe('Finish');
    expect(readFileSync(join(stateDir, 'wizard.json'), 'utf8')).not.toContain(TEST_PASSWORD);
    await page.close();
  }, 180_000);
});

/**
 * Starts a copy in the wizard whose new mailbox is reached through `proxy`, and holds it right
 * after the server stored a batch (after `batchesFirst` answered ones; this answer is held back): the copy is then certainly
 * running, on a fast machine or a loaded one, until `proxy.release()`.
 */
async function startHeldCopy(page: Page, src: string, dst: string, proxy: TcpProxy, batchesFirst = 0): Promise<void> {
  await page.getByLabel('E-mail address', { exact: true }).fill(`${src}@example.test`);
  await fillAccount(page, src, TEST_PASSWORD);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('New mailbox');
  await page.getByLabel('Another IMAP mailbox').check();
  await fillAccount(page, dst, TEST_PASSWORD);
  await page.getByLabel('Port', { exact: true }).fill(String(proxy.port));
  await page.getByLabel('Security', { exact: true }).selectOption('none');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('Check');
  await page.getByRole('button', { name: '5. Copy mail' }).click();
  proxy.holdWhenServerSays('[APPENDUID', batchesFirst + 1);
  await page.getByRole('button', { name: 'Start copying' }).click();
  await expect.poll(() => proxy.holding, { timeout: 60_000, interval: 20 }).toBe(true);
}

/** Passwords are never stored: type them again, back to the copy step, and resume. */
async function reenterPasswordsAndResume(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Enter the passwords' }).click();
  await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('Old mailbox');
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('New mailbox');
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('Check');
  await page.getByRole('button', { name: '5. Copy mail' }).click();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => copyDone(page), { timeout: 60_000 }).toBe(true);
}

/** 600 × 20 kB: six batches of 2 MB, more than the four connections have in flight at once. */
function sixBatches(): SeedMessage[] {
  const body = 'w'.repeat(20_000);
  return Array.from({ length: 600 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i, { body }) }));
}

describe('an interrupted copy in the browser', () => {
  it('after the web host is killed and restarted, shows the partial copy and resumes it, with nothing duplicated', async () => {
    const src = addUser(dovecot, 'uik');
    const dst = addUser(dovecot, 'uikd');
    await seed(dovecot, src, [], sixBatches());
    const stateDir = tempStateDir();
    const proxy = await TcpProxy.start(dovecot.imapPort);
    let host = await startWebHostProcess(['--state-dir', stateDir, '--ca', dovecot.caFile]);
    try {
      let page = await browser.newPage();
      await page.goto(host.url);
      // One batch is copied and confirmed, the next one is stored but its answer never arrives.
      await startHeldCopy(page, src, dst, proxy, 1);
      // The first batch's answer got through; kill only once the journal has recorded it (a
      // confirmation is written just after its answer arrives, so the kill must not race it).
      await expect.poll(() => journalRows(stateDir).filter((r) => r.state === 'done').length, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
      host.child.kill('SIGKILL');
      await new Promise((r) => host.child.once('exit', r));
      proxy.release();
      await page.close();
      expect(await messageCount(dovecot, dst)).toBeLessThan(600);

      host = await startWebHostProcess(['--state-dir', stateDir, '--ca', dovecot.caFile]);
      page = await browser.newPage();
      await page.goto(host.url);
      // The wizard is where it was and shows the partial copy from the state database, before
      // any password is typed.
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Copy mail');
      const partial = page.getByRole('status').filter({ hasText: 'The copy stopped before it was finished.' });
      await expect.poll(() => partial.count(), { timeout: 15_000 }).toBe(1);
      const shown = Number(/([\d,]+) of 600 messages are in the new mailbox\. “Resume” continues where it stopped/.exec((await partial.textContent()) ?? '')![1]!.replace(/,/g, ''));
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThanOrEqual(await messageCount(dovecot, dst));
      await shot(page, '5-copy-mail-partial');
      await reenterPasswordsAndResume(page);
      await shot(page, '5-copy-mail-resumed');
      expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
    } finally {
      await host.stop();
      await proxy.stop();
    }
  }, 180_000);
});

describe('a reload in the middle of a copy', () => {
  it('re-attaches to the running copy: its progress without a password, Pause works on it, and nothing is copied twice', async () => {
    const src = addUser(dovecot, 'uir');
    const dst = addUser(dovecot, 'uird');
    await seed(dovecot, src, [], sixBatches());
    const proxy = await TcpProxy.start(dovecot.imapPort);
    const host = await startWebHostProcess(['--state-dir', tempStateDir(), '--ca', dovecot.caFile]);
    try {
      let page = await browser.newPage();
      await page.goto(host.url);
      await startHeldCopy(page, src, dst, proxy);

      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Copy mail');
      // Attached: the running copy's numbers, and Pause, although this page has no password.
      await expect.poll(() => page.getByText(/^\d+ of 600 messages in the new mailbox$/).count(), { timeout: 15_000 }).toBe(1);
      expect(await page.getByRole('button', { name: 'Start copying' }).count()).toBe(0);
      await expectAccessible(page, 'copy, attached after a reload');
      await shot(page, '5-copy-mail-attached');
      await page.getByRole('button', { name: 'Pause' }).click();
      proxy.release();
      await expect.poll(() => page.getByText('Paused.', { exact: true }).count(), { timeout: 60_000 }).toBe(1);
      expect(await messageCount(dovecot, dst)).toBeLessThan(600);

      // A new page for the same pair sees the pause, resumes, and the copy ends exact.
      await page.close();
      page = await browser.newPage();
      await page.goto(host.url);
      await expect.poll(() => page.getByText('Paused.', { exact: true }).count(), { timeout: 15_000 }).toBe(1);
      await reenterPasswordsAndResume(page);
      expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
      await page.close();
    } finally {
      await host.stop();
      await proxy.stop();
    }
  }, 300_000);
});

describe('Microsoft 365 in the browser', () => {
  it('signs in with a code, checks the account, copies mail, contacts and calendar, and e-mails nobody', async () => {
    const pki = inject('pki');
    const oidc = inject('oidc');
    const { GraphStandin } = await import('../harness/graph-standin.js');
    const { addPimRoutes } = await import('../harness/graph-standin-pim.js');
    const { m365Env } = await import('../harness/m365.js');
    const { FakeBrowser } = await import('../harness/fake-browser.js');
    const graph = await GraphStandin.start(pki, oidc);
    const store = addPimRoutes(graph);
    const { Radicale, objectsOf } = await import('../harness/radicale.js');
    const radicale = await Radicale.start({ anna: 'dav-secret' });
    radicale.calendar('anna', 'work', objectsOf(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'calendar', 'outlook.ics'), 'utf8')));
    const src = addUser(dovecot, 'uim');
    const user = addUser(dovecot, 'm365', { m365: true });
    await seed(dovecot, src, ['Sent'], [
      { folder: 'INBOX', raw: simpleMessage(1, { subject: 'Hello' }) },
      { folder: 'Sent', raw: simpleMessage(2, { subject: 'Sent one' }) },
    ]);
    // Exchange mailboxes come with their special folders.
    await seed(dovecot, user, ['Sent Items', 'Deleted Items', 'Drafts', 'Junk Email', 'Archive'], []);
    const env = m365Env(oidc, pki.caFile, graph.url, dovecot.imapsPort);
    const host = await startWebHostProcess(['--state-dir', tempStateDir(), '--ca', dovecot.caFile], env);
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
      await page.goto(host.url);
      await page.getByLabel('E-mail address', { exact: true }).fill(`${src}@example.test`);
      await fillAccount(page, src, TEST_PASSWORD);
      await page.getByRole('button', { name: 'Next' }).click();

      // 2. Sign in with a code; a "phone" (the fake browser) enters it.
      await page.getByRole('button', { name: 'Sign in with a code' }).click();
      const code = page.getByTestId('device-code');
      await expect.poll(() => code.count(), { timeout: 15_000 }).toBe(1);
      const link = await page.getByRole('status').getByRole('link').first().getAttribute('href');
      await shot(page, '2-microsoft-365-code');
      await new FakeBrowser(readFileSync(pki.caFile, 'utf8')).enterDeviceCode(link!, (await code.textContent())!, user);
      await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Signed in to Microsoft 365 as .*${user.replace('.', '\\.')}`));
      // The empty address becomes the signed-in account's.
      await expect.poll(() => page.getByLabel('Microsoft 365 address').inputValue()).toBe(user);
      await expectAccessible(page, 'microsoft 365');
      await shot(page, '2-microsoft-365');
      await page.getByRole('button', { name: 'Next' }).click();

      // 3. Check against Graph and Exchange IMAP (it starts by itself).
      await expect.poll(() => page.getByRole('list', { name: 'Findings' }).textContent(), { timeout: 30_000 }).toMatch(/has a licence that includes a mailbox/);
      await expectAccessible(page, 'check, microsoft 365');
      await shot(page, '3-check-microsoft-365');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('button', { name: 'Next' }).click();

      // 5. Copy mail; Sent goes to Exchange's "Sent Items".
      await page.getByRole('button', { name: 'Start copying' }).click();
      await expect.poll(() => copyDone(page), { timeout: 30_000 }).toBe(true);
      expect(await cards(page)).toMatchObject({ copied: 2, refused: 0 });
      expect((await snapshot(dovecot, user)).get('Sent Items')).toHaveLength(1);
      await page.getByRole('button', { name: 'Next' }).click();

      // 6. Contacts and calendar from export files.
      const fixture = (dir: string, name: string): string => join(REPO_ROOT, 'test', 'fixtures', dir, name);
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose address book exports (.vcf, .csv)' }).click();
      await (await chooser).setFiles([fixture('contacts', 'google-3.0.vcf'), fixture('contacts', 'apple-3.0.vcf')]);
      await expect.poll(() => page.getByRole('button', { name: /Copy 3 contacts/ }).count(), { timeout: 20_000 }).toBe(1);
      // What was found is shown before anything is copied: some names, the notes, what cannot be copied.
      expect(await page.getByRole('list', { name: 'Some of the contacts found' }).textContent()).toMatch(/Maria García.*maria@example\.es/);
      await page.getByRole('button', { name: /Copy 3 contacts/ }).click();
      await expect.poll(() => page.locator('.contacts-result').textContent(), { timeout: 20_000 }).toMatch(/3 created/);
      // The calendar comes straight from the old provider's CalDAV server.
      await page.getByLabel('The old provider’s CalDAV server').check();
      await page.getByLabel('CalDAV address').fill(radicale.url);
      await page.getByLabel('CalDAV user name').fill('anna');
      await page.getByLabel('CalDAV password').fill('dav-secret');
      await page.getByRole('button', { name: 'Read from the server' }).click();
      await expect.poll(() => page.getByRole('button', { name: /Copy 2 events/ }).count(), { timeout: 20_000 }).toBe(1);
      expect(await page.getByRole('list', { name: 'Some of the events found' }).textContent()).toMatch(/Arzttermin · 2025-04-10 14:00/);
      await page.getByRole('button', { name: /Copy 2 events/ }).click();
      await expect.poll(() => page.locator('.calendar-result').textContent(), { timeout: 20_000 }).toMatch(/2 created/);
      await expectAccessible(page, 'contacts and calendar');
      await shot(page, '6-contacts-calendar');
      expect([...store.contacts.values()].filter((c) => c.user === user)).toHaveLength(3);
      expect([...store.events.values()].filter((e) => e.user === user)).toHaveLength(2);
      expect(store.mailsSent).toBe(0);
      await page.close();
    } finally {
      await host.stop();
      await graph.stop();
      await radicale.stop();
    }
  }, 180_000);
});
