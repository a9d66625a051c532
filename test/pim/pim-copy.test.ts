import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyEvents } from '../../src/main/engine/calendar/copy-events.js';
import { planCalendar } from '../../src/main/engine/calendar/plan-calendar.js';
import { copyContacts } from '../../src/main/engine/contacts/copy-contacts.js';
import { planContacts } from '../../src/main/engine/contacts/plan-contacts.js';
import { readSourceFiles } from '../../src/main/engine/pim/read-source-files.js';
import { GraphClient } from '../../src/main/engine/graph/graph-client.js';
import { undoItems } from '../../src/main/engine/pim/undo-items.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addPimRoutes, type PimStore } from '../harness/graph-standin-pim.js';
import { m365Env, signInToStateDir } from '../harness/m365.js';
import { runCli, startCli } from '../harness/run-cli.js';
import { keysDeep } from '../harness/keys-deep.js';

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

const contactFixtures = ['outlook-2.1.vcf', 'google-3.0.vcf', 'apple-3.0.vcf', 'v4.vcf'].map((n) => fileURLToPath(new URL(`../fixtures/contacts/${n}`, import.meta.url)));
const calendarFixtures = ['outlook.ics', 'google.ics', 'apple.ics', 'thunderbird.ics'].map((n) => fileURLToPath(new URL(`../fixtures/calendar/${n}`, import.meta.url)));

async function session(): Promise<{ user: string; stateDir: string; graph: GraphClient }> {
  const user = addUser(dovecot, 'm365', { m365: true });
  const stateDir = tempStateDir();
  const auth = await signInToStateDir(oidc, pki.caFile, user, stateDir);
  return { user, stateDir, graph: new GraphClient({ baseUrl: standin.url, getToken: (force) => auth.graphToken(force) }) };
}


describe('copying contacts into Microsoft 365', () => {
  it('creates them in a new folder with photos, reruns without duplicates, updates what changed, and undo removes only its own', async () => {
    const { user, stateDir, graph } = await session();
    const plan = () => planContacts(readSourceFiles(contactFixtures));
    const first = await copyContacts(await plan(), { graph, stateDir, mailbox: user });
    expect(first).toMatchObject({ folder: 'Contacts from old mailbox', created: 5, updated: 0, unchanged: 0, failed: [] });
    const folder = [...store.contactFolders.values()].find((f) => f.user === user)!;
    expect(folder.displayName).toBe('Contacts from old mailbox');
    const mine = () => [...store.contacts.values()].filter((c) => c.folderId === folder.id);
    expect(mine()).toHaveLength(5);
    expect(mine().find((c) => c.body.displayName === 'Dr. Jürgen Müller')?.photo?.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    const again = await copyContacts(await plan(), { graph, stateDir, mailbox: user });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(mine()).toHaveLength(5);

    // A contact the user made by hand in the same folder must survive undo.
    store.contacts.set('user-made', { id: 'user-made', folderId: folder.id, body: { displayName: 'Made by hand' }, photo: null, user });
    const undo = await undoItems(graph, stateDir, user, 'contact', 'Contacts from old mailbox');
    expect(undo).toEqual({ deleted: 5, failed: [] });
    expect(mine().map((c) => c.body.displayName)).toEqual(['Made by hand']);
  });

  it('updates a contact whose source changed and creates nothing new', async () => {
    const { user, stateDir, graph } = await session();
    const dir = tempStateDir();
    const file = join(dir, 'book.vcf');
    writeFileSync(file, 'BEGIN:VCARD\nVERSION:3.0\nUID:c-1\nFN:Ann Example\nEMAIL:ann@example.org\nEND:VCARD\n');
    const run = async () => copyContacts(await planContacts(readSourceFiles([file])), { graph, stateDir, mailbox: user, folderName: 'Old friends' });
    expect(await run()).toMatchObject({ folder: 'Old friends', created: 1 });
    writeFileSync(file, 'BEGIN:VCARD\nVERSION:3.0\nUID:c-1\nFN:Ann Example\nEMAIL:ann@example.org\nTEL;TYPE=CELL:+1 555 0100\nEND:VCARD\n');
    expect(await run()).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const c = [...store.contacts.values()].find((x) => x.user === user && x.body.displayName === 'Ann Example');
    expect(c?.body.mobilePhone).toBe('+1 555 0100');
    expect([...store.contacts.values()].filter((x) => x.user === user)).toHaveLength(1);
  });
});

describe('copying calendars into Microsoft 365', () => {
  it('creates series and single events, applies cancelled and changed occurrences, and never e-mails anyone', async () => {
    const { user, stateDir, graph } = await session();
    const mailsBefore = store.mailsSent;
    const logStart = standin.log.length;
    const plan = () => planCalendar(readSourceFiles(calendarFixtures), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') });
    const summary = await copyEvents(await plan(), { graph, stateDir, mailbox: user });
    expect(summary.failed).toEqual([]);
    expect(summary.created).toBe((await plan()).items.length);
    const cal = [...store.calendars.values()].find((c) => c.user === user)!;
    expect(cal.name).toBe('Calendar from old mailbox');
    const events = [...store.events.values()].filter((e) => e.calendarId === cal.id);
    const series = events.find((e) => e.body.subject === 'Team-Besprechung')!;
    expect([...series.cancelled]).toEqual(['2025-03-18']);
    expect(series.modified.get('2025-03-25')).toMatchObject({ subject: 'Team-Besprechung (verschoben)', start: { dateTime: '2025-03-25T10:30:00' } });
    const club = events.find((e) => e.body.subject === 'Club de lectura')!;
    expect([...club.cancelled]).toEqual(['2025-04-08']);
    expect(events.find((e) => e.body.subject === 'Arzttermin')?.attachments).toEqual([expect.objectContaining({ name: 'Ueberweisung.txt', contentBytes: Buffer.from('Hallo Welt').toString('base64') })]);

    const again = await copyEvents(await plan(), { graph, stateDir, mailbox: user });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: summary.created });
    expect([...store.events.values()].filter((e) => e.calendarId === cal.id)).toHaveLength(events.length);

    const undo = await undoItems(graph, stateDir, user, 'event', 'Calendar from old mailbox');
    expect(undo.deleted).toBe(events.length);
    expect([...store.events.values()].filter((e) => e.calendarId === cal.id)).toHaveLength(0);

    // The guarantee: no request could have mailed anyone.
    expect(store.mailsSent).toBe(mailsBefore);
    for (const entry of standin.log.slice(logStart)) {
      expect(keysDeep(entry.body).has('attendees'), `${entry.method} ${entry.path}`).toBe(false);
      expect(entry.path).not.toMatch(/\/(send|sendMail|reply|replyAll|forward|accept|decline|cancel)(\/|\?|$)/i);
    }
  });

  it('refuses, before sending, any request that would carry attendees', async () => {
    const { MailSafeGraph } = await import('../../src/main/engine/pim/mail-safe-graph.js');
    expect(() => MailSafeGraph.check('POST', '/me/calendars/x/events', { subject: 'x', attendees: [{ emailAddress: { address: 'a@b' } }] })).toThrow(/e-mail people/);
    expect(() => MailSafeGraph.check('POST', '/me/events/x/cancel', {})).toThrow(/sends mail/);
    expect(() => MailSafeGraph.check('POST', '/me/calendars/x/events', { subject: 'fine' })).not.toThrow();
  });
});

describe('cutover contacts copy / undo on the command line', () => {
  it('resumes a copy killed mid-run without creating duplicates', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const stateDir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, user, stateDir);
    const file = join(tempStateDir(), 'many.vcf');
    writeFileSync(file, Array.from({ length: 300 }, (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bulk-${i}\r\nFN:Person ${i}\r\nEMAIL:p${i}@example.org\r\nEND:VCARD\r\n`).join(''));
    const env = m365Env(oidc, pki.caFile, standin.url, dovecot.imapsPort);
    const args = ['contacts', 'copy', file, '--target', `m365:${user}`, '--state-dir', stateDir, '--json'];
    const count = () => [...store.contacts.values()].filter((c) => c.user === user).length;
    standin.latencyMs = 40;
    try {
      const { child, done } = startCli(args, env);
      while (child.exitCode === null && count() < 40) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await done;
    } finally {
      standin.latencyMs = 0;
    }
    const partial = count();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300);
    const rerun = await runCli(args, env);
    expect(rerun.code, rerun.stderr).toBe(0);
    const keys = [...store.contacts.values()].filter((c) => c.user === user).map((c) => (c.body.singleValueExtendedProperties as { value: string }[])[0]!.value);
    expect(keys).toHaveLength(300);
    expect(new Set(keys).size).toBe(300);
    const undo = await runCli(['contacts', 'undo', '--target', `m365:${user}`, '--state-dir', stateDir, '--json'], env);
    expect(JSON.parse(undo.stdout)).toEqual({ deleted: 300, failed: [] });
  }, 60_000);
});

describe('a newer export of the same address book and calendar (issue 10)', () => {
  it('creates nothing twice from two differently named files, and applies what a changed export changed or added', async () => {
    const { user, stateDir, graph } = await session();
    const card = (uid: string, name: string, extra = ''): string => `BEGIN:VCARD\r\nVERSION:3.0\r\n${uid ? `UID:${uid}\r\n` : ''}FN:${name}\r\nEMAIL:${name.split(' ')[0]!.toLowerCase()}@example.org\r\n${extra}END:VCARD\r\n`;
    const event = (uid: string, summary: string, extra = ''): string => `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTART;TZID=Europe/Berlin:20250303T090000\r\nDTEND;TZID=Europe/Berlin:20250303T100000\r\nSUMMARY:${summary}\r\n${extra}END:VEVENT\r\n`;
    const book = [card('u-1', 'Ann Example'), card('urn:uuid:2b1c', 'Ben Example'), card('', 'Cleo Nouid')];
    const cal = [event('e-1', 'Standup', 'RRULE:FREQ=WEEKLY;COUNT=4\r\n'), event('e-2', 'Month end', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3\r\n'), event('e-3', 'Dentist')];
    const calendarText = (events: string[]): string => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${events.join('')}END:VCALENDAR\r\n`;
    const write = (dir: string, name: string, text: string): string => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const downloads = tempStateDir();
    const desktop = tempStateDir();
    const copy = async (vcf: string, icsFile: string) => ({
      contacts: await copyContacts(await planContacts(readSourceFiles([vcf])), { graph, stateDir, mailbox: user }),
      events: await copyEvents(await planCalendar(readSourceFiles([icsFile]), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') }), { graph, stateDir, mailbox: user }),
    });
    const mine = () => ({ contacts: [...store.contacts.values()].filter((c) => c.user === user), events: [...store.events.values()].filter((e) => e.user === user) });

    const first = await copy(write(downloads, 'contacts.vcf', book.join('')), write(downloads, 'calendar.ics', calendarText(cal)));
    expect(first.contacts).toMatchObject({ created: 3, updated: 0, failed: [] });
    // e-2 (day 31) is expanded into its 2 occurrences in the window: 31 March and 31 May (DTSTART 3 March is the first).
    expect(first.events).toMatchObject({ created: 5, updated: 0, failed: [] });
    expect(mine().contacts).toHaveLength(3);
    expect(mine().events).toHaveLength(5);
    // Nothing about the user's computer went into the mailbox.
    expect(JSON.stringify(mine())).not.toContain(downloads);

    const again = await copy(write(desktop, 'contacts (1).vcf', book.join('')), write(desktop, 'Kalender (1).ics', calendarText(cal)));
    expect(again.contacts).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(again.events).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(mine().contacts).toHaveLength(3);
    expect(mine().events).toHaveLength(5);

    const newerBook = [card('u-1', 'Ann Example', 'TEL;TYPE=CELL:+1 555 0100\r\n'), book[1]!, book[2]!, card('u-4', 'Dora New')];
    const newerCal = [event('e-1', 'Standup (new room)', 'RRULE:FREQ=WEEKLY;COUNT=4\r\nLOCATION:Room 2\r\n'), cal[1]!, cal[2]!, event('e-4', 'Added later')];
    const changed = await copy(write(desktop, 'contacts (2).vcf', newerBook.join('')), write(desktop, 'Kalender (2).ics', calendarText(newerCal)));
    expect(changed.contacts).toMatchObject({ created: 1, updated: 1, unchanged: 2, failed: [] });
    expect(changed.events).toMatchObject({ created: 1, updated: 1, unchanged: 4, failed: [] });
    expect(mine().contacts).toHaveLength(4);
    expect(mine().events).toHaveLength(6);
    expect(mine().contacts.find((c) => c.body.displayName === 'Ann Example')?.body.mobilePhone).toBe('+1 555 0100');
    expect(mine().events.find((e) => e.body.subject === 'Standup (new room)')?.body.location).toEqual({ displayName: 'Room 2' });
    expect(store.mailsSent).toBe(0);

    expect(await undoItems(graph, stateDir, user, 'contact', 'Contacts from old mailbox')).toEqual({ deleted: 4, failed: [] });
    expect((await undoItems(graph, stateDir, user, 'event', 'Calendar from old mailbox')).deleted).toBe(6);
    expect(mine()).toEqual({ contacts: [], events: [] });
  });
});
