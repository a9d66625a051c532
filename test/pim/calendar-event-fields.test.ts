import { describe, expect, it } from 'vitest';
import { eventWithUid, ics, planCalendarFixtures, planIcs } from './plan-helpers.js';

describe('event fields Outlook and others write', () => {
  it('reads X-MICROSOFT-CDO-ALLDAYEVENT midnight-to-midnight as an all-day event, not shifted by the zone', async () => {
    const e = eventWithUid(await planCalendarFixtures(['outlook-event-fields.ics']), 'allday-cdo@outlook');
    expect(e.graph).toMatchObject({ isAllDay: true, showAs: 'free', start: { dateTime: '2025-05-01T00:00:00' }, end: { dateTime: '2025-05-02T00:00:00' } });
  });

  it('reads an Outlook all-day event written in UTC as all-day in the user’s zone', async () => {
    const p = await planIcs(ics('BEGIN:VEVENT', 'UID:utc-allday', 'DTSTART:20250430T220000Z', 'DTEND:20250501T220000Z', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE', 'END:VEVENT'), 'Europe/Berlin');
    expect(p.items[0]!.graph).toMatchObject({ isAllDay: true, start: { dateTime: '2025-05-01T00:00:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2025-05-02T00:00:00' } });
  });

  it('gives all-day events shorter than a day (no DTEND, or DTEND = DTSTART) a whole day', async () => {
    const p = await planCalendarFixtures(['outlook-event-fields.ics']);
    expect(eventWithUid(p, 'allday-no-end@outlook').graph).toMatchObject({ isAllDay: true, start: { dateTime: '2025-06-10T00:00:00' }, end: { dateTime: '2025-06-11T00:00:00' } });
    expect(eventWithUid(p, 'allday-zero@outlook').graph).toMatchObject({ isAllDay: true, start: { dateTime: '2025-06-11T00:00:00' }, end: { dateTime: '2025-06-12T00:00:00' } });
  });

  it('turns inline base64 ATTACH into an attachment and names link attachments in the warnings and the body', async () => {
    const e = eventWithUid(await planCalendarFixtures(['outlook-event-fields.ics']), 'fields@outlook');
    expect(e.attachments).toEqual([{ name: 'Notizen.txt', contentType: 'text/plain', data: Buffer.from('Notizen zur Prüfung') }]);
    expect(e.warnings).toEqual(['attachment https://files.example/vertrag.pdf is a link; it is kept as a link in the body']);
    expect((e.graph.body as { content: string }).content).toContain('<a href="https://files.example/vertrag.pdf">');
  });

  it('maps PRIORITY (and Outlook’s own importance) to importance, and keeps URL in the body', async () => {
    const p = await planCalendarFixtures(['outlook-event-fields.ics']);
    expect(eventWithUid(p, 'fields@outlook').graph.importance).toBe('high');
    expect(eventWithUid(p, 'low@outlook').graph.importance).toBe('low');
    expect(eventWithUid(p, 'cdo-importance@outlook').graph.importance).toBe('high');
    expect((eventWithUid(p, 'fields@outlook').graph.body as { content: string }).content).toContain('Link: <a href="https://intranet.example/vertrag/4711">https://intranet.example/vertrag/4711</a>');
  });

  it('reports cancelled events, tasks and other components it does not copy, with their line', async () => {
    const p = await planIcs(ics('BEGIN:VEVENT', 'UID:gone', 'DTSTART:20250101T100000Z', 'STATUS:CANCELLED', 'END:VEVENT', 'BEGIN:VFREEBUSY', 'UID:fb', 'END:VFREEBUSY'));
    expect(p.items).toEqual([]);
    expect(p.skipped).toEqual([
      { source: { file: 'test.ics', uid: 'fb', line: 9 }, reason: 'free/busy information (VFREEBUSY) is not copied' },
      { source: { file: 'test.ics', uid: 'gone', line: 4 }, reason: 'the event at line 4 cannot be copied: the event was cancelled in the old calendar (STATUS:CANCELLED)' },
    ]);
  });

  it('reads Windows-1252 text in an .ics and says so', async () => {
    const p = await planIcs(Buffer.from(ics('BEGIN:VEVENT', 'UID:w', 'DTSTART:20250101T100000Z', 'SUMMARY:Café Müller', 'END:VEVENT'), 'latin1'));
    expect(p.items[0]!.graph.subject).toBe('Café Müller');
    expect(p.items[0]!.warnings).toEqual(['text in SUMMARY was read as Windows-1252 (the text is not valid UTF-8)']);
  });
});
