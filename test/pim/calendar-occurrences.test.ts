import { describe, expect, it } from 'vitest';
import { eventsWithUid, eventWithUid, ics, planCalendarFixtures, planIcs } from './plan-helpers.js';

const dates = (items: { graph: Record<string, unknown> }[]): string[] => items.map((i) => String((i.graph.start as { dateTime: string }).dateTime));

describe('repeating events: occurrences, ends and rules Outlook reads differently', () => {
  it('keeps the UID on every expanded occurrence and names the occurrence in source.occurrence', async () => {
    const p = await planCalendarFixtures(['recurrence-cases.ics']);
    const series = eventsWithUid(p, 'lastday@google.com');
    expect(series.map((i) => i.source.occurrence)).toEqual(['2025-01-31T15:00:00', '2025-03-31T15:00:00', '2025-04-30T15:00:00']);
    expect(series.map((i) => i.key)).toEqual(['event:uid:lastday@google.com@2025-01-31T15:00:00', 'event:uid:lastday@google.com@2025-03-31T15:00:00', 'event:uid:lastday@google.com@2025-04-30T15:00:00']);
    // EXDATE removed 28 February; the moved occurrence of 31 March keeps its own times and title.
    expect(series[1]!.graph).toMatchObject({ subject: 'Last day review (moved)', start: { dateTime: '2025-03-31T18:00:00', timeZone: 'Tokyo Standard Time' } });
    expect(new Set(series.map((i) => i.graph.transactionId)).size).toBe(3);
  });

  it('ends a series with a UTC UNTIL on the date of its last occurrence in its own zone', async () => {
    const e = eventWithUid(await planCalendarFixtures(['recurrence-cases.ics']), 'until-east@google.com');
    // UNTIL=20250328T000000Z is 28 March 09:00 in Tokyo: the occurrence that day is the last one.
    expect(e.graph.recurrence).toEqual({
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday'], firstDayOfWeek: 'monday' },
      range: { type: 'endDate', startDate: '2025-03-07', endDate: '2025-03-28', recurrenceTimeZone: 'Tokyo Standard Time' },
    });
  });

  it('stops a series with a UTC UNTIL that falls before the day’s occurrence on the day before (zone west of UTC)', async () => {
    const p = await planIcs(ics('BEGIN:VEVENT', 'UID:west', 'DTSTART;TZID=America/Los_Angeles:20250303T180000', 'RRULE:FREQ=DAILY;UNTIL=20250310T010000Z', 'END:VEVENT'));
    // 10 March 01:00 UTC is 9 March 18:00 in Los Angeles (PDT from 9 March): that day's occurrence is the last.
    expect((p.items[0]!.graph.recurrence as { range: { endDate: string } }).range.endDate).toBe('2025-03-09');
  });

  it('expands day 29, 30 and 31 of the month and 29 February the RFC way (skipping months and years without them)', async () => {
    const p = await planCalendarFixtures(['recurrence-cases.ics']);
    expect(dates(eventsWithUid(p, 'day31@google.com'))).toEqual(['2025-01-31T17:00:00', '2025-03-31T17:00:00', '2025-05-31T17:00:00', '2025-07-31T17:00:00']);
    expect(dates(eventsWithUid(p, 'day30@google.com'))).toEqual(['2025-01-30T17:00:00', '2025-03-30T17:00:00', '2025-04-30T17:00:00']);
    expect(eventsWithUid(p, 'day31@google.com').every((i) => i.graph.recurrence === undefined)).toBe(true);
    expect(eventsWithUid(p, 'day31@google.com')[0]!.warnings).toContain('repeating series expanded into single events because day 31 of the month, which Outlook would move to the end of shorter months');
    // Only 2024-02-29 falls in the window (until two years after 1 June 2025); ical.js alone would add 1 March 2025–2027.
    expect(eventsWithUid(p, 'leap@google.com').map((i) => i.source.occurrence)).toEqual(['2024-02-29']);
    const may = await planIcs(ics('BEGIN:VEVENT', 'UID:m28', 'DTSTART:20250128T090000Z', 'RRULE:FREQ=MONTHLY;COUNT=3', 'END:VEVENT'));
    expect(may.items[0]!.graph.recurrence).toMatchObject({ pattern: { type: 'absoluteMonthly', dayOfMonth: 28 }, range: { type: 'numbered', numberOfOccurrences: 3 } });
  });

  it('keeps a DTSTART that is not on its own rule as a single event beside the series, and counts it in COUNT', async () => {
    const p = await planCalendarFixtures(['recurrence-cases.ics']);
    const [series, first] = eventsWithUid(p, 'off-rule@google.com');
    expect(first!.source.occurrence).toBe('2025-01-07T10:00:00');
    expect(first!.graph).toMatchObject({ start: { dateTime: '2025-01-07T10:00:00' }, end: { dateTime: '2025-01-07T11:00:00' } });
    expect(first!.graph.recurrence).toBeUndefined();
    expect(series!.source.occurrence).toBeUndefined();
    expect(series!.graph).toMatchObject({
      start: { dateTime: '2025-01-08T10:00:00', timeZone: 'Tokyo Standard Time' },
      end: { dateTime: '2025-01-08T11:00:00' },
      recurrence: { pattern: { type: 'weekly', daysOfWeek: ['monday', 'wednesday'] }, range: { type: 'numbered', startDate: '2025-01-08', numberOfOccurrences: 4 } },
    });
  });

  it('copies a series whose only occurrence is its off-rule DTSTART as one event', async () => {
    const p = await planIcs(ics('BEGIN:VEVENT', 'UID:one', 'DTSTART:20250107T100000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=1', 'END:VEVENT'));
    expect(p.items).toHaveLength(1);
    expect(p.items[0]!.graph.recurrence).toBeUndefined();
    expect(p.items[0]!.source.occurrence).toBeUndefined();
  });

  it('keeps changed occurrences of a mapped series for the copy, with their original start on the series clock', async () => {
    const p = await planIcs(
      ics(
        'BEGIN:VEVENT', 'UID:weekly', 'DTSTART;TZID=Europe/Berlin:20250303T090000', 'DTEND;TZID=Europe/Berlin:20250303T100000', 'RRULE:FREQ=WEEKLY;COUNT=5', 'EXDATE:20250310T080000Z', 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:weekly', 'RECURRENCE-ID:20250317T080000Z', 'DTSTART;TZID=Europe/Berlin:20250317T110000', 'DTEND;TZID=Europe/Berlin:20250317T120000', 'SUMMARY:Later', 'END:VEVENT',
      ),
    );
    expect(p.items).toHaveLength(1);
    expect(p.items[0]!.cancelledOccurrences).toEqual(['2025-03-10']);
    expect(p.items[0]!.modifiedOccurrences).toEqual([{ originalStart: '2025-03-17T09:00:00', graph: expect.objectContaining({ subject: 'Later', start: { dateTime: '2025-03-17T11:00:00', timeZone: 'W. Europe Standard Time' } }) }]);
  });

  it('copies changed occurrences whose series is not in the file as single events named by their occurrence', async () => {
    const p = await planIcs(ics('BEGIN:VEVENT', 'UID:shared', 'RECURRENCE-ID:20250401T100000Z', 'DTSTART:20250401T120000Z', 'SUMMARY:Moved', 'END:VEVENT'));
    expect(p.items.map((i) => [i.source.uid, i.source.occurrence, i.key])).toEqual([['shared', '2025-04-01T10:00:00Z', 'event:uid:shared@2025-04-01T10:00:00Z']]);
  });
});
