import { readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wizardStateSchema } from '../../src/shared/app-api.js';
import type { ApiEvent } from '../../src/shared/app-api.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { simpleMessage } from '../harness/mailbox.js';
import { writeMaildirMessage } from '../harness/maildir.js';
import { RawSocket } from '../harness/raw-socket.js';
import { startWebHostProcess } from '../harness/web-host-process.js';

const dovecot = inject('dovecot');
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 60_000);
afterAll(async () => browser?.close());

/** An export of `count` events, each padded with a description: about `count` × 690 bytes. */
function bigCalendar(count: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Cutover test//EN'];
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
    lines.push(
      'BEGIN:VEVENT',
      `UID:event-${i}@cutover.test`,
      'DTSTAMP:20240101T000000Z',
      `DTSTART:2024${month}${day}T090000Z`,
      `DTEND:2024${month}${day}T100000Z`,
      `SUMMARY:Meeting number ${i}`,
      `DESCRIPTION:${'Agenda item. '.repeat(40)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

describe('choosing export files in a real browser', () => {
  it('reads a 2.1 MB calendar chosen in Chromium while a copy runs in the same web host, and refuses an oversized file before sending it', async () => {
    const src = addUser(dovecot, 'upl');
    const dst = addUser(dovecot, 'upld');
    const messages = 300;
    for (let i = 1; i <= messages; i++) writeMaildirMessage(dovecot, src, 'INBOX', Buffer.from(simpleMessage(i)));
    const stateDir = tempStateDir();
    writeFileSync(join(stateDir, 'wizard.json'), JSON.stringify(wizardStateSchema.parse({ step: 'contacts-calendar', email: 'anna@old.test', target: { kind: 'm365', user: 'anna@contoso.test' } })));
    const files = tempStateDir();
    const events = 3300;
    const ics = join(files, 'Outlook Kalender.ics');
    writeFileSync(ics, bigCalendar(events));
    // Twice the old WebSocket frame limit that killed the host (issue 9).
    expect(statSync(ics).size).toBeGreaterThan(2.1 * 1024 * 1024);
    const huge = join(files, 'huge.ics');
    writeFileSync(huge, '');
    truncateSync(huge, 51 * 1024 * 1024);
    const host = await startWebHostProcess(['--state-dir', stateDir, '--ca', dovecot.caFile]);
    try {
      // A copy runs in the same host while the page uploads.
      const copy = await RawSocket.open(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, { Origin: host.origin });
      const account = (user: string) => ({ host: '127.0.0.1', port: dovecot.imapsPort, user, tls: 'implicit', password: TEST_PASSWORD });
      const started = await copy.ask(JSON.stringify({ id: 1, method: 'startSync', args: [account(src), { kind: 'imap', account: account(dst) }, { exclude: [], rename: {} }] }));
      expect(started.result).toMatchObject({ attached: false });

      const page = await browser.newPage();
      await page.goto(host.url);
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose calendar exports (.ics)' }).click();
      await (await chooser).setFiles(ics);
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'that can be copied' }).first().textContent(), { timeout: 60_000 }).toMatch(new RegExp(`Found ${events.toLocaleString('en-US')} events that can be copied`));

      // Over the limit: refused in the page with the facts, nothing is uploaded.
      const uploads = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith(`cutover-web-${host.child.pid}-`)).flatMap((n) => readdirSync(join(tmpdir(), n, 'uploads')));
      const before = uploads();
      const again = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose calendar exports (.ics)' }).click();
      await (await again).setFiles(huge);
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/The chosen files are too large/);
      expect(uploads()).toEqual(before);

      const finished = await copy.event<ApiEvent>((e) => e.type === 'sync-finished');
      expect(finished).toMatchObject({ type: 'sync-finished', error: null, summary: { copied: messages } });
      expect(host.child.exitCode).toBeNull();
      expect(host.stderr()).toBe('');
      await page.close();
      copy.ws.close();
    } finally {
      await host.stop();
    }
  }, 180_000);
});
