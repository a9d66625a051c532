import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wizardStateSchema } from '../../src/shared/app-api.js';
import { tempStateDir } from '../harness/accounts.js';
import { startWebHostProcess } from '../harness/web-host-process.js';
import { SAMPLE_OST } from '../pim/outlook-samples.js';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 60_000);
afterAll(async () => browser?.close());

describe("choosing Outlook's CSV export and data file in the wizard", () => {
  it('previews a German Outlook CSV and names its format; lists an .ost’s calendar folders and previews the ticked ones', async () => {
    const stateDir = tempStateDir();
    writeFileSync(join(stateDir, 'wizard.json'), JSON.stringify(wizardStateSchema.parse({ step: 'contacts-calendar', email: 'anna@old.test', target: { kind: 'm365', user: 'anna@contoso.test' } })));
    const files = tempStateDir();
    const csv = join(files, 'Kontakte.csv');
    copyFileSync(fileURLToPath(new URL('../fixtures/contacts-csv/outlook-de.csv', import.meta.url)), csv);
    const ost = join(files, 'anna.ost');
    copyFileSync(SAMPLE_OST, ost);
    const host = await startWebHostProcess(['--state-dir', stateDir]);
    try {
      const page = await browser.newPage();
      await page.goto(host.url);
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose address book exports (.vcf, .csv)' }).click();
      await (await chooser).setFiles(csv);
      const contacts = page.getByRole('status').filter({ hasText: 'that can be copied' }).first();
      await expect.poll(() => contacts.textContent(), { timeout: 60_000 }).toMatch(/Found 1 contact that can be copied/);
      expect(await contacts.textContent()).toContain('Kontakte.csv: read as Outlook CSV (German).');
      expect(await contacts.textContent()).toContain('Jürgen Müller');

      const calendar = page.locator('[aria-labelledby="calendar-title"]');
      await calendar.getByRole('radio', { name: 'From Outlook’s data file' }).check();
      const ostChooser = page.waitForEvent('filechooser');
      await calendar.getByRole('button', { name: 'Choose Outlook’s data file (.pst, .ost)' }).click();
      await (await ostChooser).setFiles(ost);
      await expect.poll(() => calendar.getByRole('checkbox').count(), { timeout: 60_000 }).toBe(3);
      expect(await calendar.getByRole('checkbox', { name: 'Calendar (9 events)' }).isChecked()).toBe(true);
      expect(await calendar.getByRole('checkbox', { name: 'Calendar/Birthdays (0 events)' }).isChecked()).toBe(false);
      await calendar.getByRole('checkbox', { name: 'Calendar/United States holidays (160 events)' }).uncheck();
      await calendar.getByRole('button', { name: 'Read the chosen folders' }).click();
      const events = calendar.getByRole('status').filter({ hasText: 'that can be copied' }).first();
      await expect.poll(() => events.textContent(), { timeout: 60_000 }).toMatch(/Found 9 events that can be copied/);
      expect(await events.textContent()).toContain('anna.ost: read as Unicode OST with 4 KB pages (Outlook 2013 and later).');
    } finally {
      await host.stop();
    }
  }, 180_000);
});
