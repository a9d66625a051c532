import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyEvents } from '../../src/main/engine/calendar/copy-events.js';
import { planCalendar } from '../../src/main/engine/calendar/plan-calendar.js';
import { copyContacts } from '../../src/main/engine/contacts/copy-contacts.js';
import { planContacts } from '../../src/main/engine/contacts/plan-contacts.js';
import { readSourceFiles } from '../../src/main/engine/pim/read-source-files.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addPimRoutes, type PimStore } from '../harness/graph-standin-pim.js';
import { signedInPimSession } from '../harness/m365.js';
import { SAMPLE_OST } from './outlook-samples.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let standin: GraphStandin;
let store: PimStore;

beforeAll(async () => {
  standin = await GraphStandin.start(pki, oidc);
  store = addPimRoutes(standin);
});
afterAll(async () => standin.stop());

const session = () => signedInPimSession(dovecot, oidc, pki.caFile, standin.url);

describe('copying from an Outlook data file and a CSV export, twice, under other names', () => {
  it('creates the calendar of a data file once; a copy of the file under another name creates nothing', async () => {
    const { user, state, graph } = await session();
    const dir = mkdtempSync(join(tmpdir(), 'cutover-pst-copy-'));
    const renamed = join(dir, 'Outlook backup.ost');
    copyFileSync(SAMPLE_OST, renamed);
    const now = new Date('2021-09-01T00:00:00Z');
    const first = await copyEvents(await planCalendar(readSourceFiles([SAMPLE_OST], ['sample.ost']), 'Europe/Berlin', { now, outlookFolders: ['Calendar'] }), { graph, state, mailbox: user });
    expect(first).toMatchObject({ created: 9, updated: 0, unchanged: 0, failed: [] });
    const cal = [...store.calendars.values()].find((c) => c.user === user)!;
    const mine = () => [...store.events.values()].filter((e) => e.calendarId === cal.id);
    expect(mine()).toHaveLength(9);
    const again = await copyEvents(await planCalendar(readSourceFiles([renamed], ['Outlook backup.ost']), 'Europe/Berlin', { now, outlookFolders: ['Calendar'] }), { graph, state, mailbox: user });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 9, failed: [] });
    expect(mine()).toHaveLength(9);
    expect(store.mailsSent).toBe(0);
  });

  it('creates the contacts of a CSV export once; the same export under another name creates nothing', async () => {
    const { user, state, graph } = await session();
    const csv = fileURLToPath(new URL('../fixtures/contacts-csv/outlook-de.csv', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'cutover-csv-copy-'));
    const renamed = join(dir, 'Kontakte (Kopie).csv');
    copyFileSync(csv, renamed);
    const first = await copyContacts(await planContacts(readSourceFiles([csv])), { graph, state, mailbox: user });
    expect(first).toMatchObject({ created: 1, failed: [] });
    const again = await copyContacts(await planContacts(readSourceFiles([renamed])), { graph, state, mailbox: user });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: [] });
    expect([...store.contacts.values()].filter((c) => c.user === user)).toHaveLength(1);
  });
});
