import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/run-cli.js';
import { keysDeep } from '../harness/keys-deep.js';
import { eventWithUid as find, fixture as fixtureOf, planCalendarFixtures as plan, planIcs } from './plan-helpers.js';

const fixture = (name: string): string => fixtureOf('calendar', name);
const ALL = ['outlook.ics', 'google.ics', 'apple.ics', 'thunderbird.ics', 'broken.ics', 'truncated.ics'];


describe('reading calendars as real producers write them', () => {
  it('maps an Outlook series with Windows zones, a cancelled and a moved occurrence, reminder and people kept out of attendees', async () => {
    const p = await plan(['outlook.ics']);
    const e = find(p, '040000008200E00074C5B7101A82E00800000000A0F1B2C3D4E5F601000000000000000010000000');
    expect(e.graph).toMatchObject({
      subject: 'Team-Besprechung',
      start: { dateTime: '2025-03-04T09:00:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2025-03-04T10:00:00', timeZone: 'W. Europe Standard Time' },
      location: { displayName: 'Raum 4.12' },
      isReminderOn: true,
      reminderMinutesBeforeStart: 15,
      showAs: 'busy',
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] },
        range: { type: 'numbered', startDate: '2025-03-04', numberOfOccurrences: 10 },
      },
    });
    expect(e.cancelledOccurrences).toEqual(['2025-03-18']);
    expect(e.modifiedOccurrences).toEqual([
      { originalStart: '2025-03-25T09:00:00', graph: expect.objectContaining({ subject: 'Team-Besprechung (verschoben)', start: { dateTime: '2025-03-25T10:30:00', timeZone: 'W. Europe Standard Time' }, location: { displayName: 'Raum 2.01' } }) },
    ]);
    const body = (e.graph.body as { content: string }).content;
    expect(body).toContain('<b>sync</b>');
    expect(body).toContain('Anna Schmidt &lt;anna.schmidt@example.de&gt; (accepted)');
    expect(body).toContain('Organizer: Jürgen Müller');
    const attendees = (e.graph.singleValueExtendedProperties as { id: string; value: string }[]).find((x) => x.id.endsWith('CutoverAttendees'))!;
    expect(JSON.parse(attendees.value).attendees).toHaveLength(2);
    expect(e.graph.transactionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const priv = find(p, 'private-1@outlook');
    expect(priv.graph).toMatchObject({ sensitivity: 'private', showAs: 'oof' });
    expect(priv.attachments).toEqual([{ name: 'Ueberweisung.txt', contentType: 'application/octet-stream', data: Buffer.from('Hallo Welt') }]);
  });

  it('maps Google: IANA zones, "second Tuesday" series with a cancelled instance, all-day multi-day, UTC and categories', async () => {
    const p = await plan(['google.ics'], 'Europe/Madrid');
    expect(find(p, 'club-meeting@google.com').graph).toMatchObject({
      start: { dateTime: '2025-02-11T18:00:00', timeZone: 'Romance Standard Time' },
      recurrence: { pattern: { type: 'relativeMonthly', daysOfWeek: ['tuesday'], index: 'second' }, range: { type: 'endDate', startDate: '2025-02-11', endDate: '2025-12-09' } },
    });
    expect(find(p, 'club-meeting@google.com').cancelledOccurrences).toEqual(['2025-04-08']);
    expect(find(p, 'holiday@google.com').graph).toMatchObject({ isAllDay: true, showAs: 'free', start: { dateTime: '2025-08-01T00:00:00' }, end: { dateTime: '2025-08-15T00:00:00' } });
    expect(find(p, 'utc-call@google.com').graph).toMatchObject({ start: { dateTime: '2025-05-20T07:00:00', timeZone: 'UTC' }, categories: ['Work', 'Calls'] });
  });

  it('maps Apple: yearly all-day birthday with an early reminder, DURATION instead of DTEND', async () => {
    const p = await plan(['apple.ics']);
    expect(find(p, '5E7A9B2C-AAAA-BBBB-CCCC-000000000001').graph).toMatchObject({
      isAllDay: true,
      reminderMinutesBeforeStart: 900,
      recurrence: { pattern: { type: 'absoluteYearly', month: 7, dayOfMonth: 15 }, range: { type: 'noEnd' } },
    });
    expect(find(p, '5E7A9B2C-AAAA-BBBB-CCCC-000000000002').graph).toMatchObject({ end: { dateTime: '2025-09-02T11:30:00', timeZone: 'Eastern Standard Time' } });
  });

  it('maps Thunderbird: floating time in the user zone, expands "last day of month" series, reports tasks and unknown zones', async () => {
    const p = await plan(['thunderbird.ics'], 'Europe/Rome');
    expect(find(p, 'floating-1@thunderbird').graph).toMatchObject({ start: { dateTime: '2025-06-12T08:00:00', timeZone: 'W. Europe Standard Time' } });
    const expanded = p.items.filter((i) => i.source.uid === 'lastday@thunderbird');
    expect(expanded.map((i) => i.source.occurrence)).toEqual(['2025-01-31T16:00:00', '2025-02-28T16:00:00', '2025-03-31T16:00:00', '2025-04-30T16:00:00', '2025-05-31T16:00:00', '2025-06-30T16:00:00']);
    expect(expanded.map((i) => (i.graph.start as { dateTime: string }).dateTime.slice(0, 10))).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30']);
    expect(expanded[0]!.graph.recurrence).toBeUndefined();
    expect(expanded[0]!.warnings.join()).toMatch(/expanded into single events/);
    expect(new Set(expanded.map((i) => i.graph.transactionId)).size).toBe(6);
    expect(find(p, 'unknown-zone@thunderbird').warnings.join()).toMatch(/Mars\/Olympus_Mons/);
    expect(p.skipped).toEqual([expect.objectContaining({ source: expect.objectContaining({ uid: 'todo-1@thunderbird', line: 4 }), reason: expect.stringMatching(/VTODO/) })]);
  });

  it('reports broken and truncated input per item and keeps the rest', async () => {
    const p = await plan(['broken.ics', 'truncated.ics', 'missing.ics']);
    expect(p.items.map((i) => i.source.uid)).toEqual(['ok@x']);
    expect(p.skipped.map((s) => s.source.uid || s.source.file.split('/').pop())).toEqual(expect.arrayContaining(['bad@x', 'baddate@x', 'truncated.ics', 'missing.ics']));
  });

  it('never puts attendees in anything it would send to Graph', async () => {
    const p = await plan(ALL);
    for (const item of p.items) {
      expect(keysDeep(item.graph).has('attendees')).toBe(false);
      for (const m of item.modifiedOccurrences) expect(keysDeep(m.graph).has('attendees')).toBe(false);
    }
  });

  it('survives random garbage without throwing', async () => {
    let seed = 11;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['BEGIN:VCALENDAR\n', 'END:VCALENDAR\n', 'BEGIN:VEVENT\n', 'END:VEVENT\n', 'DTSTART:20250101T100000Z\n', 'DTSTART;VALUE=DATE:20250101\n', 'RRULE:FREQ=MONTHLY;BYDAY=5FR\n', 'RRULE:FREQ=YEARLY;BYWEEKNO=3\n', 'EXDATE:2025\n', 'RECURRENCE-ID:20250101T100000Z\n', 'UID:a\n', 'DTEND:19990101T000000Z\n', 'BEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\n', '\u0000\n', 'DURATION:P1D\n'];
    for (let i = 0; i < 300; i++) {
      const content = Array.from({ length: Math.floor(rand() * 25) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
      await expect(planIcs(content, 'UTC', 'fuzz.ics')).resolves.toBeDefined();
    }
  });
});

describe('cutover contacts plan / calendar plan', () => {
  it('print one JSON object with items and skipped, and exit 0', async () => {
    const cal = await runCli(['calendar', 'plan', fixture('outlook.ics'), fixture('thunderbird.ics'), '--time-zone', 'Europe/Berlin', '--json']);
    expect(cal.code, cal.stderr).toBe(0);
    const calendar = JSON.parse(cal.stdout);
    expect(calendar.items[0]).toEqual({
      source: { file: fixture('outlook.ics'), uid: expect.any(String), line: 21 },
      graph: expect.objectContaining({ subject: 'Team-Besprechung' }),
      warnings: [],
      cancelledOccurrences: ['2025-03-18'],
      modifiedOccurrences: [expect.objectContaining({ originalStart: '2025-03-25T09:00:00' })],
    });
    expect(calendar.skipped).toEqual([{ source: { file: fixture('thunderbird.ics'), uid: 'todo-1@thunderbird', line: 4 }, reason: expect.any(String) }]);
    expect(cal.stdout).not.toContain('"attendees"');

    const card = (name: string): string => fixtureOf('contacts', name);
    const con = await runCli(['contacts', 'plan', card('google-3.0.vcf'), card('broken.vcf'), '--json']);
    expect(con.code, con.stderr).toBe(0);
    const contacts = JSON.parse(con.stdout);
    expect(contacts.items).toHaveLength(3);
    expect(contacts.items[0]).toEqual({ source: { file: card('google-3.0.vcf'), uid: '', line: 1 }, graph: expect.objectContaining({ displayName: 'Maria García' }), warnings: [] });
    expect(contacts.skipped).toHaveLength(1);

    const bad = await runCli(['calendar', 'plan', fixture('google.ics'), '--time-zone', 'Mars/Base']);
    expect(bad.code).toBe(2);
    const none = await runCli(['contacts', 'plan']);
    expect(none.code).toBe(2);
  });
});
