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
import { tempState, tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addPimRoutes, type PimStore } from '../harness/graph-standin-pim.js';
import { m365Env, signInToStateDir, signedInPimSession } from '../harness/m365.js';
import { runCli, startCli } from '../harness/run-cli.js';
import { keysDeep } from '../harness/keys-deep.js';
import { StateStore } from '../../src/main/engine/state/state-store.js';

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

const session = () => signedInPimSession(dovecot, oidc, pki.caFile, standin.url);


describe('copying contacts into Microsoft 365', () => {
  it('creates them in a new folder with photos, reruns without duplicates, updates what changed, and undo removes only its own', async () => {
    const { user, state, graph } = await session();
    const plan = () => planContacts(readSourceFiles(contactFixtures));
    const first = await copyContacts(await plan(), { graph, state, mailbox: user });
    expect(first).toMatchObject({ folder: 'Contacts from old mailbox', created: 5, updated: 0, unchanged: 0, failed: [] });
    const folder = [...store.contactFolders.values()].find((f) => f.user === user)!;
    expect(folder.displayName).toBe('Contacts from old mailbox');
    const mine = () => [...store.contacts.values()].filter((c) => c.folderId === folder.id);
    expect(mine()).toHaveLength(5);
    expect(mine().find((c) => c.body.displayName === 'Dr. Jürgen Müller')?.photo?.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    const again = await copyContacts(await plan(), { graph, state, mailbox: user });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(mine()).toHaveLength(5);

    // A contact the user made by hand in the same folder must survive undo.
    store.contacts.set('user-made', { id: 'user-made', folderId: folder.id, body: { displayName: 'Made by hand' }, photo: null, user });
    const undo = await undoItems(graph, state, user, 'contact', 'Contacts from old mailbox');
    expect(undo).toEqual({ deleted: 5, failed: [], leftAlone: [] });
    expect(mine().map((c) => c.body.displayName)).toEqual(['Made by hand']);
  });

  it('updates a contact whose source changed and creates nothing new', async () => {
    const { user, state, graph } = await session();
    const dir = tempStateDir();
    const file = join(dir, 'book.vcf');
    writeFileSync(file, 'BEGIN:VCARD\nVERSION:3.0\nUID:c-1\nFN:Ann Example\nEMAIL:ann@example.org\nEND:VCARD\n');
    const run = async () => copyContacts(await planContacts(readSourceFiles([file])), { graph, state, mailbox: user, folderName: 'Old friends' });
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
    const { user, state, graph } = await session();
    const mailsBefore = store.mailsSent;
    const logStart = standin.log.length;
    const plan = () => planCalendar(readSourceFiles(calendarFixtures), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') });
    const summary = await copyEvents(await plan(), { graph, state, mailbox: user });
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

    const again = await copyEvents(await plan(), { graph, state, mailbox: user });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: summary.created });
    expect([...store.events.values()].filter((e) => e.calendarId === cal.id)).toHaveLength(events.length);

    const undo = await undoItems(graph, state, user, 'event', 'Calendar from old mailbox');
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
  it("places all-day events and floating times in the mailbox's time zone, else in the computer's with a warning", async () => {
    const file = icsFile([
      'UID:holiday\nDTSTAMP:20250101T000000Z\nDTSTART;VALUE=DATE:20250801\nDTEND;VALUE=DATE:20250802\nSUMMARY:Holiday',
      'UID:breakfast\nDTSTAMP:20250101T000000Z\nDTSTART:20250612T080000\nDTEND:20250612T090000\nSUMMARY:Breakfast',
    ]);
    const env = { ...m365Env(oidc, pki.caFile, standin.url, dovecot.imapsPort), TZ: 'America/New_York' };
    const zonesOf = (user: string) => [...store.events.values()].filter((e) => e.user === user).map((e) => [e.body.subject, (e.body.start as { timeZone: string }).timeZone]).sort();
    for (const [mailboxZone, expected, warned] of [
      ['Tokyo Standard Time', 'Tokyo Standard Time', false],
      // A custom zone made in desktop Outlook has no name anyone else knows.
      ['tzone://Microsoft/Custom', 'Eastern Standard Time', true],
    ] as const) {
      const user = addUser(dovecot, 'm365', { m365: true });
      standin.configureUser(user, { timeZone: mailboxZone });
      const stateDir = tempStateDir();
      await signInToStateDir(oidc, pki.caFile, user, stateDir);
      const res = await runCli(['calendar', 'copy', file, '--target', `m365:${user}`, '--state-dir', stateDir, '--json'], env);
      expect(res.code, res.stderr).toBe(0);
      expect(zonesOf(user)).toEqual([['Breakfast', expected], ['Holiday', expected]]);
      const warnings = (JSON.parse(res.stdout) as { warnings?: string[] }).warnings ?? [];
      expect(warnings.length > 0).toBe(warned);
      if (warned) expect(warnings[0]).toMatch(/not a known zone.*America\/New_York/);
    }
  }, 60_000);

  it("says in its own words when the mailbox's time zone cannot be read; Graph's text stays in the detail", async () => {
    const { mailboxTimeZone } = await import('../../src/main/engine/m365/mailbox-time-zone.js');
    const { user, graph } = await session();
    standin.configureUser(user, { mailbox: false });
    const zone = await mailboxTimeZone(graph, 'Europe/Berlin');
    expect(zone).toEqual({
      zone: 'Europe/Berlin',
      warning: "The mailbox's time zone could not be read; all-day events and times without a zone were placed in this computer's zone, Europe/Berlin.",
      detail: '404 MailboxNotEnabledForRESTAPI',
    });
  });

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
    expect(JSON.parse(undo.stdout)).toEqual({ deleted: 300, failed: [], leftAlone: [] });
  }, 60_000);
});

/** A one-file calendar (CRLF, as exported) with the given VEVENT bodies. */
function icsFile(events: string[], dir = tempStateDir()): string {
  const file = join(dir, 'calendar.ics');
  writeFileSync(file, ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Cutover tests//EN', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e.trim().split('\n'), 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n'));
  return file;
}

const PLANNING = (extra = '') => `UID:planning-1
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:20250310T090000
DTEND;TZID=Europe/Berlin:20250310T100000
SUMMARY:Planning${extra}
LOCATION:Room 1
CATEGORIES:Work`;

describe('copying into Microsoft 365 as Exchange really behaves', () => {
  const copyFile = async (file: string, graph: GraphClient, state: StateStore, user: string, folderName?: string) =>
    copyEvents(await planCalendar(readSourceFiles([file]), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') }), { graph, state, mailbox: user, ...(folderName ? { folderName } : {}) });
  const eventsIn = (user: string, name: string) => {
    const cal = [...store.calendars.values()].find((c) => c.user === user && c.name === name);
    return cal ? [...store.events.values()].filter((e) => e.calendarId === cal.id) : [];
  };

  it('gives each calendar its own transactionId, so the same events copied into a second calendar are created, not refused', async () => {
    const { user, graph } = await session();
    const file = icsFile([PLANNING()]);
    expect(await copyFile(file, graph, tempState(), user, 'Calendar A')).toMatchObject({ created: 1, failed: [] });
    // A new state folder (another computer) copying into another calendar of the same mailbox.
    expect(await copyFile(file, graph, tempState(), user, 'Calendar B')).toMatchObject({ created: 1, failed: [] });
    expect(eventsIn(user, 'Calendar B')).toHaveLength(1);
  });

  it('finds an event the user moved to another calendar by its source identity, and updates it there instead of creating it twice', async () => {
    const { user, graph } = await session();
    const dir = tempStateDir();
    const file = icsFile([PLANNING()], dir);
    await copyFile(file, graph, tempState(), user);
    const [event] = eventsIn(user, 'Calendar from old mailbox');
    store.calendars.set(`moved-to-${user}`, { id: `moved-to-${user}`, name: 'Mine', user });
    event!.calendarId = `moved-to-${user}`;
    // The source changes, and another state folder copies it: nothing local says it was copied, and
    // the POST reuses the transactionId for a different body, which Exchange refuses.
    icsFile([PLANNING(' (new room)')], dir);
    const logStart = standin.log.length;
    expect(await copyFile(file, graph, tempState(), user)).toMatchObject({ created: 0, updated: 1, failed: [] });
    expect(standin.log.slice(logStart).some((l) => l.status === 400)).toBe(true);
    expect([...store.events.values()].filter((e) => e.user === user).map((e) => [e.calendarId, e.body.subject])).toEqual([[`moved-to-${user}`, 'Planning (new room)']]);
  });

  it('leaves alone an event that became a meeting: no update, no undo, no occurrence change, and no one is e-mailed', async () => {
    const { user, stateDir, state, graph } = await session();
    const series = `UID:weekly-1
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:20250303T100000
DTEND;TZID=Europe/Berlin:20250303T110000
RRULE:FREQ=WEEKLY;COUNT=6
SUMMARY:Weekly`;
    const dir = tempStateDir();
    const file = icsFile([PLANNING(), series], dir);
    expect(await copyFile(file, graph, state, user)).toMatchObject({ created: 2, failed: [] });
    const mailsBefore = store.mailsSent;
    const events = eventsIn(user, 'Calendar from old mailbox');
    const planning = events.find((e) => e.body.subject === 'Planning')!;
    const weekly = events.find((e) => e.body.subject === 'Weekly')!;
    // In Outlook, the user invites people to both.
    store.inviteAttendees(planning.id, ['colleague@example.org']);
    store.inviteAttendees(weekly.id, ['team@example.org', 'boss@example.org']);
    // The source changes (a new title; an occurrence cancelled): a rerun would PATCH and DELETE.
    icsFile([PLANNING(' (moved)'), `${series}\nEXDATE;TZID=Europe/Berlin:20250317T100000`], dir);
    const rerun = await copyFile(file, graph, state, user);
    expect(rerun).toMatchObject({ updated: 0, failed: [] });
    expect(rerun.skipped.map((k) => k.reason)).toEqual([expect.stringMatching(/not updated: .*1 attendee/), expect.stringMatching(/not updated: .*2 attendee/)]);
    expect(planning.body.subject).toBe('Planning');
    expect(weekly.cancelled.size).toBe(0);
    const undo = await undoItems(graph, state, user, 'event', 'Calendar from old mailbox');
    expect(undo).toMatchObject({ deleted: 0, failed: [] });
    expect(undo.leftAlone.map((l) => l.id).sort()).toEqual([planning.id, weekly.id].sort());
    expect(undo.leftAlone.map((l) => l.subject).sort()).toEqual(['Planning', 'Weekly']);
    expect(eventsIn(user, 'Calendar from old mailbox')).toHaveLength(2);
    // The command line names them by what a person sees in Outlook, not by Graph's ids.
    const cli = await runCli(['calendar', 'undo', '--target', `m365:${user}`, '--state-dir', stateDir], m365Env(oidc, pki.caFile, standin.url, dovecot.imapsPort));
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^ {2}"Planning": .*1 attendee/m);
    expect(cli.stdout).toMatch(/^ {2}"Weekly": .*2 attendee/m);
    expect(cli.stdout).not.toContain(planning.id);
    expect(store.mailsSent).toBe(mailsBefore);
  });

  it('never duplicates attachments on update, replaces a changed one, and uploads one of 3 MB or more through an upload session', async () => {
    const { user, state, graph } = await session();
    const dir = tempStateDir();
    const small = (text: string) => `ATTACH;FMTTYPE=text/plain;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=notes.txt:${Buffer.from(text).toString('base64')}`;
    const large = Buffer.alloc(3_500_000, 7);
    const largeAttach = `ATTACH;FMTTYPE=application/pdf;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=scan.pdf:${large.toString('base64')}`;
    const file = icsFile([`${PLANNING()}\n${small('first')}\n${largeAttach}`], dir);
    const logStart = standin.log.length;
    expect(await copyFile(file, graph, state, user)).toMatchObject({ created: 1, failed: [] });
    const [event] = eventsIn(user, 'Calendar from old mailbox');
    const attachments = () => event!.attachments.map((a) => [a.name, Buffer.from(a.contentBytes, 'base64').length]).sort();
    expect(attachments()).toEqual([['notes.txt', 5], ['scan.pdf', 3_500_000]]);
    expect(Buffer.from(event!.attachments.find((a) => a.name === 'scan.pdf')!.contentBytes, 'base64').equals(large)).toBe(true);
    expect(standin.log.slice(logStart).filter((l) => l.path.startsWith('/upload/')).length).toBeGreaterThanOrEqual(2);

    // The subject changes: the event is updated, its attachments are not added again.
    icsFile([`${PLANNING(' v2')}\n${small('first')}\n${largeAttach}`], dir);
    const uploadsBefore = standin.log.filter((l) => l.path.startsWith('/upload/')).length;
    expect(await copyFile(file, graph, state, user)).toMatchObject({ updated: 1, failed: [] });
    expect(attachments()).toEqual([['notes.txt', 5], ['scan.pdf', 3_500_000]]);
    expect(standin.log.filter((l) => l.path.startsWith('/upload/')).length).toBe(uploadsBefore);

    // The small attachment changes; one the user added in Outlook stays.
    event!.attachments.push({ id: 'user-added', name: 'agenda.docx', contentType: 'application/octet-stream', size: 3, contentBytes: 'AAAA' });
    icsFile([`${PLANNING(' v2')}\n${small('second version')}`], dir);
    expect(await copyFile(file, graph, state, user)).toMatchObject({ updated: 1, failed: [] });
    expect(attachments()).toEqual([['agenda.docx', 3], ['notes.txt', 14]]);
  });

  it('clears on update what the source no longer has: location and categories of an event; phones, address and categories of a contact', async () => {
    const { user, state, graph } = await session();
    const dir = tempStateDir();
    const file = icsFile([PLANNING()], dir);
    await copyFile(file, graph, state, user);
    icsFile([`${PLANNING()}\nPRIORITY:1`], dir);
    expect(await copyFile(file, graph, state, user)).toMatchObject({ updated: 1, failed: [] });
    const [event] = eventsIn(user, 'Calendar from old mailbox');
    expect(event!.body.importance).toBe('high');
    icsFile([PLANNING().replace('LOCATION:Room 1\n', '').replace('\nCATEGORIES:Work', '')], dir);
    expect(await copyFile(file, graph, state, user)).toMatchObject({ updated: 1, failed: [] });
    expect(event!.body).not.toHaveProperty('location');
    expect(event!.body.categories).toEqual([]);
    expect(event!.body.importance).toBe('normal');

    const vcf = join(dir, 'book.vcf');
    writeFileSync(vcf, 'BEGIN:VCARD\nVERSION:3.0\nUID:c-9\nFN:Ann Example\nTEL;TYPE=WORK:+1 555 0101\nTEL;TYPE=CELL:+1 555 0102\nADR;TYPE=HOME:;;1 Main St;Springfield;;12345;US\nCATEGORIES:Friends\nEND:VCARD\n');
    const copyCard = async () => copyContacts(await planContacts(readSourceFiles([vcf])), { graph, state, mailbox: user });
    expect(await copyCard()).toMatchObject({ created: 1 });
    writeFileSync(vcf, 'BEGIN:VCARD\nVERSION:3.0\nUID:c-9\nFN:Ann Example\nEMAIL:ann@example.org\nEND:VCARD\n');
    expect(await copyCard()).toMatchObject({ updated: 1, failed: [] });
    const contact = [...store.contacts.values()].find((c) => c.user === user)!;
    expect(contact.body).toMatchObject({ businessPhones: [], categories: [], emailAddresses: [{ address: 'ann@example.org' }] });
    expect(contact.body).not.toHaveProperty('mobilePhone');
    expect(contact.body).not.toHaveProperty('homeAddress');
  });

  it('knows how to clear every field the mappers produce (a new mapped field needs its entry)', async () => {
    const { CONTACT_CLEARABLE_FIELDS } = await import('../../src/main/engine/contacts/copy-contacts.js');
    const { EVENT_CLEARABLE_FIELDS } = await import('../../src/main/engine/calendar/copy-events.js');
    const alwaysSetContact = ['displayName', 'singleValueExtendedProperties'];
    const alwaysSetEvent = ['subject', 'body', 'start', 'end', 'isAllDay', 'isReminderOn', 'showAs', 'sensitivity', 'transactionId', 'singleValueExtendedProperties'];
    // Every fixture that sets an optional field (outlook-event-fields.ics: importance, URL, attachments).
    const eventFixtures = [...calendarFixtures, fileURLToPath(new URL('../fixtures/calendar/outlook-event-fields.ics', import.meta.url))];
    const contactKeys = new Set((await planContacts(readSourceFiles(contactFixtures))).items.flatMap((i) => Object.keys(i.graph)));
    const eventItems = (await planCalendar(readSourceFiles(eventFixtures), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') })).items;
    const eventKeys = new Set(eventItems.flatMap((i) => Object.keys(i.graph)));
    expect(eventKeys).toContain('importance');
    // Fields said to be always set are set on every event.
    for (const k of alwaysSetEvent.filter((k) => k !== 'transactionId' && k !== 'singleValueExtendedProperties')) expect(eventItems.filter((i) => !(k in i.graph)).map((i) => i.source.uid), k).toEqual([]);
    expect([...contactKeys].filter((k) => !(k in CONTACT_CLEARABLE_FIELDS) && !alwaysSetContact.includes(k))).toEqual([]);
    expect([...eventKeys].filter((k) => !(k in EVENT_CLEARABLE_FIELDS) && !alwaysSetEvent.includes(k))).toEqual([]);
  });

  it('goes on when a whole $batch fails: the rest is created, and the next run completes the copy without duplicates', async () => {
    const { user, state, graph } = await session();
    const vcf = join(tempStateDir(), 'many.vcf');
    writeFileSync(vcf, Array.from({ length: 30 }, (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b-${i}\r\nFN:Person ${i}\r\nEND:VCARD\r\n`).join(''));
    const copy = async () => copyContacts(await planContacts(readSourceFiles([vcf])), { graph, state, mailbox: user });
    standin.failNextBatch(1, 504);
    const first = await copy();
    expect(first.created).toBe(10);
    expect(first.failed).toHaveLength(20);
    expect(first.failed[0]!.reason).toMatch(/504; the next run checks/);
    expect(await copy()).toMatchObject({ created: 20, failed: [] });
    expect([...store.contacts.values()].filter((c) => c.user === user)).toHaveLength(30);
  });
});

describe('a newer export of the same address book and calendar (issue 10)', () => {
  it('takes over a copy re-exported under a new UID with the same content, instead of creating it twice', async () => {
    const { user, state, graph } = await session();
    const dir = tempStateDir();
    const card = (uid: string): string => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:Rita Reexport\r\nEMAIL:rita@example.org\r\nTEL;TYPE=WORK:+49 30 1234\r\nEND:VCARD\r\n`;
    const copyFrom = async (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return copyContacts(await planContacts(readSourceFiles([file])), { graph, state, mailbox: user });
    };
    expect(await copyFrom('a.vcf', card('uid-from-the-old-phone'))).toMatchObject({ created: 1, failed: [] });
    expect(await copyFrom('b.vcf', card('uid-from-the-new-phone'))).toMatchObject({ created: 0, updated: 1, failed: [] });
    const mine = [...store.contacts.values()].filter((c) => c.user === user);
    expect(mine).toHaveLength(1);
    // The copy now carries the new identity: a third run finds it under that key and sends nothing.
    expect(await copyFrom('c.vcf', card('uid-from-the-new-phone'))).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it('creates nothing twice from two differently named files, and applies what a changed export changed or added', async () => {
    const { user, state, graph } = await session();
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
      contacts: await copyContacts(await planContacts(readSourceFiles([vcf])), { graph, state, mailbox: user }),
      events: await copyEvents(await planCalendar(readSourceFiles([icsFile]), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') }), { graph, state, mailbox: user }),
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

    expect(await undoItems(graph, state, user, 'contact', 'Contacts from old mailbox')).toEqual({ deleted: 4, failed: [], leftAlone: [] });
    expect((await undoItems(graph, state, user, 'event', 'Calendar from old mailbox')).deleted).toBe(6);
    expect(mine()).toEqual({ contacts: [], events: [] });
  });
});
