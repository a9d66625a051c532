import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCalendar } from '../../src/main/engine/calendar/plan-calendar.js';
import { mapContact, contactContentKey } from '../../src/main/engine/contacts/contact-mapper.js';
import { outlookContactToRecord, type OutlookContactExtras, type OutlookContactFields } from '../../src/main/engine/contacts/outlook-contact.js';
import { planContacts } from '../../src/main/engine/contacts/plan-contacts.js';
import { OutlookDataFile } from '../../src/main/engine/outlook/outlook-file.js';
import { outlookFileInfo } from '../../src/main/engine/outlook/outlook-source.js';
import { readSourceFiles } from '../../src/main/engine/pim/read-source-files.js';
import { isCutoverError } from '../../src/shared/errors.js';
import { ENRON_PST, PST_TESTDATA, SAMPLE_OST } from './outlook-samples.js';

const testdata = PST_TESTDATA;
const NOW = new Date('2021-09-01T00:00:00Z');

const plan = (files: string[], names: string[], folders?: string[]) => planCalendar(readSourceFiles(files, names), 'Europe/Berlin', { now: NOW, ...(folders ? { outlookFolders: folders } : {}) });

describe("Outlook's data file: calendar (pst-extractor's sample .ost)", () => {
  it('lists the contacts and calendar folders by their class and suggests Outlook’s own', () => {
    const info = outlookFileInfo(SAMPLE_OST, 'sample.ost');
    expect(info.format).toBe('Unicode OST with 4 KB pages (Outlook 2013 and later)');
    const calendars = info.folders.filter((f) => f.kind === 'calendar');
    expect(calendars.map((f) => [f.path, f.items, f.suggested])).toEqual([
      ['Calendar', 9, true],
      ['Calendar/United States holidays', 160, true],
      ['Calendar/Birthdays', 0, false],
    ]);
    expect(info.folders.filter((f) => f.suggested && f.kind === 'contacts').map((f) => f.path)).toEqual(['ExternalContacts', 'Contacts']);
    expect(info.folders.find((f) => f.path === 'Contacts/Recipient Cache')).toMatchObject({ containerClass: 'IPF.Contact.RecipientCache', suggested: false });
  });

  it('reads every appointment of a folder, past the first block of its contents table (160 holidays)', async () => {
    const holidays = await plan([SAMPLE_OST], ['sample.ost'], ['Calendar/United States holidays']);
    expect(holidays.items).toHaveLength(160);
    expect(holidays.skipped).toEqual([]);
    expect(holidays.items.every((i) => i.graph.isAllDay === true)).toBe(true);
  });

  it('maps series, single, all-day and meetings with the item’s own zone, reminders, show-as and attachments', async () => {
    const { items, skipped, formats } = await plan([SAMPLE_OST], ['sample.ost'], ['Calendar']);
    expect(skipped).toEqual([]);
    expect(formats).toEqual([{ file: 'sample.ost', format: 'Unicode OST with 4 KB pages (Outlook 2013 and later)' }]);
    const by = (subject: string) => items.find((i) => i.graph.subject === subject)!;
    expect(items).toHaveLength(9);
    expect(by('repeats every monday for 10 weeks').graph).toMatchObject({
      start: { dateTime: '2021-08-09T10:00:00', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2021-08-09T11:00:00', timeZone: 'Pacific Standard Time' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' }, range: { type: 'numbered', startDate: '2021-08-09', numberOfOccurrences: 10, recurrenceTimeZone: 'Pacific Standard Time' } },
      isReminderOn: true,
      reminderMinutesBeforeStart: 15,
      showAs: 'busy',
    });
    expect(by('repeats for 3 days').graph.recurrence).toMatchObject({ pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } });
    expect(by('Occurs every August 13 effective 8/13/2021 from 10:00 AM to 10:30 AM').graph.recurrence).toMatchObject({ pattern: { type: 'absoluteYearly', month: 8, dayOfMonth: 13 }, range: { type: 'noEnd' } });
    expect(by('all day event for 3 days').graph).toMatchObject({ isAllDay: true, start: { dateTime: '2021-08-15T00:00:00' }, end: { dateTime: '2021-08-18T00:00:00' }, showAs: 'free', reminderMinutesBeforeStart: 1080 });
    // A meeting Google sent: its UID is the one embedded in the global object id; no attendees ever go to Graph.
    const meeting = by('meeting from Ed');
    expect(meeting.source.uid).toBe('goedb89m92ojdbql36p5cuu74o@google.com');
    expect(meeting.graph.attendees).toBeUndefined();
    expect(String((meeting.graph.body as { content: string }).content)).toContain('Attendees (not invited again by the copy)');
    // 22:00 UTC, whatever zone it is shown in.
    expect(meeting.graph.start).toEqual({ dateTime: '2021-08-14T00:00:00', timeZone: 'W. Europe Standard Time' });
    expect(by('meeting with attachments (jpg, pdf, text)').attachments.map((a) => [a.name, a.contentType, a.data.length])).toEqual([
      ['primoz-roglic-of-slovenia-and-team-jumbo-visma-red-leader-news-photo-162....jpg', 'image/jpeg', 79653],
      ['Clinometer Usage.pdf', 'application/pdf', 87069],
      ['text.txt', 'text/plain', 18],
    ]);
    const pdf = readFileSync(join(testdata, 'attachments', 'Clinometer Usage.pdf'));
    expect(by('meeting with attachments (jpg, pdf, text)').attachments[1]!.data.equals(pdf)).toBe(true);
    // Outlook's .ics export writes the global object id in hex as the UID; so does the data file reader.
    expect(by('just a regular meeting').source.uid).toBe('040000008200E00074C5B7101A82E00800000000B0E598F97D8FD701000000000000000010000000778D5BC81A9B754186C27E4AD7F5A307');
    expect(items.every((i) => i.source.file === 'sample.ost › Calendar' && i.source.line === undefined)).toBe(true);
  });

  it('gives the same keys to a copy of the file under another name (identity is the item’s own, never the path)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-pst-'));
    const copy = join(dir, 'backup from 2024.ost');
    copyFileSync(SAMPLE_OST, copy);
    const a = await plan([SAMPLE_OST], ['sample.ost']);
    const b = await plan([copy], ['backup from 2024.ost']);
    expect(b.items.map((i) => [i.key, i.hash])).toEqual(a.items.map((i) => [i.key, i.hash]));
    expect(a.items.every((i) => !i.key.includes('sample') && !i.key.includes(testdata))).toBe(true);
  });

  it('says in one sentence, with a code, when a file is not a data file or is damaged; a planner reports it and goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-pst-'));
    const notData = join(dir, 'notes.pst');
    writeFileSync(notData, 'this is not Outlook');
    const truncated = join(dir, 'truncated.ost');
    writeFileSync(truncated, readFileSync(SAMPLE_OST).subarray(0, 64 * 1024));
    for (const [path, message] of [
      [notData, '"notes.pst" is not an Outlook data file (.pst or .ost).'],
      [truncated, '"truncated.ost" is damaged: its index could not be read.'],
    ] as const) {
      let caught: unknown;
      try {
        OutlookDataFile.open(path, path.split('/').pop()!);
      } catch (err) {
        caught = err;
      }
      expect(isCutoverError(caught) && caught.code).toBe('outlook-file-unreadable');
      expect((caught as Error).message).toBe(message);
    }
    const result = await plan([truncated, SAMPLE_OST], ['truncated.ost', 'sample.ost'], ['Calendar']);
    expect(result.items).toHaveLength(9);
    expect(result.skipped).toEqual([{ source: { file: 'truncated.ost', uid: '' }, reason: 'the file was not read: "truncated.ost" is damaged: its index could not be read.' }]);
  });

  it('reads a data file with mail only (Enron sample .pst): no contacts or calendar folder, said so', async () => {
    const contacts = await planContacts(readSourceFiles([ENRON_PST], ['enron.pst']));
    expect(contacts.items).toEqual([]);
    expect(contacts.skipped).toEqual([{ source: { file: 'enron.pst', uid: '' }, reason: 'the file has no contacts folder' }]);
    expect(contacts.formats).toEqual([{ file: 'enron.pst', format: 'Unicode PST (Outlook 2003 and later)' }]);
  });
});

/** The library's contact getters, as a PSTContact of a real file answers them (strings default to ''). */
function contactFields(values: Partial<Record<keyof OutlookContactFields, string>>): OutlookContactFields {
  return new Proxy({} as OutlookContactFields, { get: (_t, key: string) => values[key as keyof OutlookContactFields] ?? '' });
}

describe("Outlook's data file: contacts (mapped from the library's contact fields; no sample .pst with contacts could be had)", () => {
  const extras = (over: Partial<OutlookContactExtras> = {}): OutlookContactExtras => ({
    key: 'searchkey:0A0B',
    categories: [],
    children: [],
    yomi: { given: null, family: null, company: null },
    birthday: null,
    anniversary: null,
    birthdayLocal: null,
    anniversaryLocal: null,
    gender: null,
    photo: null,
    notCopied: [],
    ...over,
  });

  it('maps names, yomi, company, every e-mail and phone, addresses, dates, categories, photo; the rest into the notes', () => {
    const record = outlookContactToRecord(
      contactFields({
        displayName: 'Dr. Anna Lind',
        givenName: 'Anna',
        surname: 'Lind',
        displayNamePrefix: 'Dr.',
        companyName: 'Contoso',
        departmentName: 'Sales',
        title: 'Head of sales',
        email1EmailAddress: 'anna@contoso.example',
        email1AddressType: 'SMTP',
        email2EmailAddress: '/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=anna',
        email2AddressType: 'EX',
        email2OriginalDisplayName: 'anna.lind@contoso.example',
        email3EmailAddress: 'anna@home.example',
        email3AddressType: 'SMTP',
        mobileTelephoneNumber: '+46 70 123 45 67',
        businessTelephoneNumber: '+46 8 123 456',
        business2TelephoneNumber: '+46 8 123 457',
        homeTelephoneNumber: '+46 8 765 432',
        businessFaxNumber: '+46 8 123 458',
        workAddressStreet: 'Storgatan 1',
        workAddressCity: 'Stockholm',
        workAddressPostalCode: '111 22',
        workAddressCountry: 'Sweden',
        homeAddressStreet: 'Hemvägen 2',
        homeAddressCity: 'Uppsala',
        spouseName: 'Erik',
        instantMessagingAddress: 'anna@im.example',
        businessHomePage: 'https://contoso.example/',
        hobbies: 'Sailing',
        body: 'Met at the fair.',
      }),
      extras({
        categories: ['Customers', 'VIP'],
        children: ['Ola', 'Kim'],
        yomi: { given: 'アンナ', family: 'リンド', company: null },
        // Local midnight in Stockholm, stored in UTC: the day before at 22:00.
        birthday: new Date('1980-05-16T22:00:00Z'),
        anniversaryLocal: new Date('2005-06-01T00:00:00Z'),
        photo: { contentType: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff]) },
      }),
    );
    const mapped = mapContact(record, { key: 'contact:uid:searchkey:0A0B', contentKey: contactContentKey(record) });
    expect(mapped.graph).toMatchObject({
      displayName: 'Dr. Anna Lind',
      givenName: 'Anna',
      surname: 'Lind',
      title: 'Dr.',
      yomiGivenName: 'アンナ',
      yomiSurname: 'リンド',
      companyName: 'Contoso',
      department: 'Sales',
      jobTitle: 'Head of sales',
      emailAddresses: [{ address: 'anna@contoso.example' }, { address: 'anna.lind@contoso.example' }, { address: 'anna@home.example' }],
      mobilePhone: '+46 70 123 45 67',
      businessPhones: ['+46 8 123 456', '+46 8 123 457'],
      homePhones: ['+46 8 765 432'],
      businessAddress: { street: 'Storgatan 1', city: 'Stockholm', postalCode: '111 22', countryOrRegion: 'Sweden' },
      homeAddress: { street: 'Hemvägen 2', city: 'Uppsala' },
      birthday: '1980-05-17T11:59:00Z',
      spouseName: 'Erik',
      children: ['Ola', 'Kim'],
      imAddresses: ['anna@im.example'],
      businessHomePage: 'https://contoso.example/',
      categories: ['Customers', 'VIP'],
    });
    expect(mapped.graph.personalNotes).toBe('Met at the fair.\n\nAlso in the old address book:\nBusiness fax: +46 8 123 458\nAnniversary: 2005-06-01\nHobbies: Sailing');
    expect(mapped.photo?.contentType).toBe('image/jpeg');
    expect(record.uid).toBe('searchkey:0A0B');
  });
});
