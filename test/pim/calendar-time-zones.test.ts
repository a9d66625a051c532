import { describe, expect, it } from 'vitest';
import { eventWithUid, ics, planCalendarFixtures, planIcs } from './plan-helpers.js';

const uid = (n: number): string => `040000008200E00074C5B7101A82E00800000000${String(n).repeat(16)}000000000000000010000000`;

describe("Outlook's own time zones: customized and display-name TZIDs", () => {
  it('derives the Windows zone of a "Customized Time Zone" from its rules, so a Monday 00:30 call stays on Mondays', async () => {
    const e = eventWithUid(await planCalendarFixtures(['outlook-customized-zones.ics']), uid(1));
    expect(e.graph).toMatchObject({
      start: { dateTime: '2025-01-06T00:30:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2025-01-06T01:00:00', timeZone: 'W. Europe Standard Time' },
      recurrence: { pattern: { type: 'weekly', daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' }, range: { type: 'noEnd', recurrenceTimeZone: 'W. Europe Standard Time' } },
    });
    expect(e.warnings).toEqual([]);
    expect(e.zone).toBe('Europe/Berlin');
  });

  it('reads display-name TZIDs such as "(UTC+01:00) Amsterdam, Berlin, …" as their Windows zone', async () => {
    const e = eventWithUid(await planCalendarFixtures(['outlook-customized-zones.ics']), uid(2));
    expect(e.graph).toMatchObject({ start: { dateTime: '2025-04-02T14:00:00', timeZone: 'W. Europe Standard Time' } });
  });

  it('matches southern-hemisphere rules (daylight time from October), by display name and as a customized zone', async () => {
    const p = await planCalendarFixtures(['outlook-customized-zones.ics']);
    expect(eventWithUid(p, uid(3)).graph).toMatchObject({
      start: { dateTime: '2025-07-07T09:00:00', timeZone: 'AUS Eastern Standard Time' },
      recurrence: { range: { type: 'numbered', numberOfOccurrences: 8, recurrenceTimeZone: 'AUS Eastern Standard Time' } },
    });
    const nz = eventWithUid(p, uid(4));
    expect(nz.graph).toMatchObject({ start: { dateTime: '2025-10-15T08:00:00', timeZone: 'New Zealand Standard Time' } });
    expect(nz.warnings).toEqual([]);
  });

  it('converts with the file’s own definition, never the user’s zone or plain UTC, when no Windows zone matches', async () => {
    const e = eventWithUid(await planCalendarFixtures(['outlook-customized-zones.ics']), uid(5));
    // +05:17 all year: 12:00 there is 06:43 UTC.
    expect(e.graph).toMatchObject({ start: { dateTime: '2025-03-10T06:43:00', timeZone: 'UTC' }, end: { dateTime: '2025-03-10T07:43:00', timeZone: 'UTC' } });
    expect(e.warnings).toEqual(['time zone "Customized Time Zone 2" matches no Windows zone; its times were converted to UTC with the file\'s own definition']);
  });

  it('expands a series in a zone with no Windows equivalent instead of repeating it in UTC', async () => {
    const p = await planIcs(
      ics(
        'BEGIN:VTIMEZONE', 'TZID:Odd', 'BEGIN:STANDARD', 'DTSTART:16010101T000000', 'TZOFFSETFROM:+0517', 'TZOFFSETTO:+0517', 'END:STANDARD', 'END:VTIMEZONE',
        'BEGIN:VEVENT', 'UID:odd-series', 'DTSTART;TZID=Odd:20250106T003000', 'RRULE:FREQ=WEEKLY;COUNT=3', 'END:VEVENT',
      ),
    );
    expect(p.items.map((i) => (i.graph.start as { dateTime: string }).dateTime)).toEqual(['2025-01-05T19:13:00', '2025-01-12T19:13:00', '2025-01-19T19:13:00']);
    expect(p.items.map((i) => i.source.occurrence)).toEqual(['2025-01-06T00:30:00', '2025-01-13T00:30:00', '2025-01-20T00:30:00']);
  });

  it('uses a zone with the same offsets when the daylight-saving dates match no Windows zone, and says so', async () => {
    const p = await planIcs(
      ics(
        'BEGIN:VTIMEZONE', 'TZID:Customized Time Zone',
        'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=10', 'END:STANDARD',
        'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3', 'END:DAYLIGHT',
        'END:VTIMEZONE',
        'BEGIN:VEVENT', 'UID:close', 'DTSTART;TZID=Customized Time Zone:20250106T100000', 'END:VEVENT',
      ),
    );
    expect((p.items[0]!.graph.start as { timeZone: string }).timeZone).toMatch(/Standard Time$/);
    expect(p.items[0]!.warnings[0]).toMatch(/^time zone "Customized Time Zone" changes to and from daylight-saving time on other dates than any Windows zone; .* \(same offsets\) was used$/);
  });

  it('keeps IANA, Windows and Mozilla-prefixed names as they are, and reads floating times in the user’s zone', async () => {
    const p = await planIcs(
      ics(
        'BEGIN:VEVENT', 'UID:a', 'DTSTART;TZID=America/Sao_Paulo:20250106T100000', 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:b', 'DTSTART;TZID=Tokyo Standard Time:20250106T100000', 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:c', 'DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20250106T100000', 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:d', 'DTSTART:20250106T100000', 'END:VEVENT',
      ),
      'Asia/Kolkata',
    );
    expect(p.items.map((i) => (i.graph.start as { timeZone: string }).timeZone)).toEqual(['E. South America Standard Time', 'Tokyo Standard Time', 'Romance Standard Time', 'India Standard Time']);
  });
});
