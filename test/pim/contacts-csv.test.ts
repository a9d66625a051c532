import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planContacts } from '../../src/main/engine/contacts/plan-contacts.js';
import { readSourceFiles, sourceFromText } from '../../src/main/engine/pim/read-source-files.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/contacts-csv/${name}`, import.meta.url));

async function planOf(name: string) {
  const plan = await planContacts(readSourceFiles([fixture(name)], [name]));
  return { plan, graph: plan.items.map((i) => i.graph), format: plan.formats[0]?.format };
}

describe('contact CSV exports', () => {
  it('reads classic Outlook English: names, company, addresses, phones, US dates, categories, quoted notes with line breaks', async () => {
    const { plan, graph, format } = await planOf('outlook-en.csv');
    expect(format).toBe('Outlook CSV (English)');
    expect(plan.skipped).toEqual([]);
    expect(graph).toHaveLength(1);
    expect(graph[0]).toMatchObject({
      title: 'Ms.',
      givenName: 'Anna',
      surname: 'Lindqvist',
      companyName: 'Contoso, Ltd.',
      jobTitle: 'Buyer',
      emailAddresses: [{ address: 'anna@contoso.example' }, { address: 'anna.l@home.example' }],
      businessPhones: ['+1 206 555 0100'],
      homePhones: ['+1 206 555 0102'],
      mobilePhone: '+1 206 555 0101',
      businessAddress: { street: '1 Main St', city: 'Seattle', state: 'WA', postalCode: '98101', countryOrRegion: 'United States of America' },
      birthday: '1980-05-17T11:59:00Z',
      categories: ['Customers', 'Suppliers'],
      spouseName: 'Erik',
      businessHomePage: 'https://contoso.example/',
    });
    // The fax has no Graph field: into the notes, and named; "0/0/00" (no anniversary) and "Unspecified" leave nothing.
    expect(graph[0]!.personalNotes).toBe('Met at the fair.\r\nPrefers e-mail, not "calls".\n\nAlso in the old address book:\nBusiness fax: +1 206 555 0103');
    expect(plan.items[0]!.warnings).toEqual(['business fax +1 206 555 0103 has no Graph field and was put in the notes']);
  });

  it('reads the same export as UTF-16 with a byte-order mark to the same contact', async () => {
    const a = await planOf('outlook-en.csv');
    const b = await planOf('outlook-en-utf16.csv');
    expect(b.graph).toEqual(a.graph);
  });

  it('reads Outlook.com / new Outlook: yomi names, IM, a third address, ISO dates, UTF-8 with a byte-order mark', async () => {
    const { graph, format, plan } = await planOf('outlook-com.csv');
    expect(format).toBe('Outlook.com / new Outlook CSV');
    expect(graph[0]).toMatchObject({ givenName: 'Kenji', surname: 'Sato', yomiGivenName: 'ケンジ', yomiSurname: 'サトウ', imAddresses: ['kenji@im.example'], birthday: '1975-02-03T11:59:00Z' });
    expect((graph[0]!.emailAddresses as unknown[]).length).toBe(3);
    expect(graph[0]!.homeAddress).toMatchObject({ street: '1-2-3 Shibuya', city: 'Tokyo' });
    expect(String(graph[0]!.personalNotes)).toContain('multi\nline, "quoted"');
    expect(String(graph[0]!.personalNotes)).toContain('Schools: Keio');
    expect(plan.items[0]!.warnings).toContain('Schools has no Outlook contact field and was put in the notes');
  });

  it.each([
    ['outlook-de.csv', 'German', { givenName: 'Jürgen', surname: 'Müller', companyName: 'Beispiel GmbH', department: 'Einkauf', jobTitle: 'Leiter', mobilePhone: '+49 170 1234567', birthday: '1980-05-17T11:59:00Z', spouseName: 'Anke' }],
    ['outlook-fr.csv', 'French', { givenName: 'Hélène', surname: 'Dupré', companyName: 'Exemple SARL', department: 'Achats', mobilePhone: '+33 6 12 34 56 78', birthday: '1980-05-17T11:59:00Z' }],
    ['outlook-es.csv', 'Spanish', { givenName: 'José', surname: 'Núñez García', companyName: 'Ejemplo S.A.', jobTitle: 'Gerente', mobilePhone: '+34 612 345 678', birthday: '1980-05-17T11:59:00Z' }],
    ['outlook-it.csv', 'Italian', { givenName: 'Niccolò', surname: 'Rossi', companyName: 'Esempio S.p.A.', mobilePhone: '+39 333 1234567', birthday: '1980-05-17T11:59:00Z' }],
    ['outlook-nl.csv', 'Dutch', { givenName: 'Sanne', middleName: 'van', surname: 'Dijk', companyName: 'Voorbeeld B.V.', mobilePhone: '+31 6 12345678', birthday: '1980-05-17T11:59:00Z' }],
  ])('reads %s (classic Outlook in %s, Windows-1252) and says so', async (name, language, expected) => {
    const { graph, format, plan } = await planOf(name);
    expect(format).toBe(`Outlook CSV (${language})`);
    expect(plan.skipped).toEqual([]);
    expect(graph[0]).toMatchObject(expected);
    expect((graph[0]!.emailAddresses as { address: string }[])[0]!.address).toMatch(/@/);
    expect(plan.items[0]!.warnings).toContain('the file was read as Windows-1252 (the text is not valid UTF-8)');
  });

  it('keeps the German anniversary and the categories', async () => {
    const { graph, plan } = await planOf('outlook-de.csv');
    expect(graph[0]!.categories).toEqual(['Kunden', 'Lieferanten']);
    expect(String(graph[0]!.personalNotes)).toBe('Größe: XL, Farbe "grün"\n\nAlso in the old address book:\nAnniversary: 2005-06-01');
    expect(plan.items[0]!.warnings).toContain('the anniversary (2005-06-01) has no Outlook contact field and was put in the notes');
  });

  it("reads Google Contacts' export: labelled values, several values in one cell, the address parts, relations", async () => {
    const { graph, format } = await planOf('google.csv');
    expect(format).toBe('Google Contacts CSV');
    expect(graph[0]).toMatchObject({
      givenName: 'Maria',
      surname: 'Silva',
      companyName: 'Exemplo Lda',
      jobTitle: 'Engineer',
      birthday: '1990-12-24T11:59:00Z',
      categories: ['Family'],
      emailAddresses: [{ address: 'maria@example.pt' }, { address: 'maria2@example.pt' }, { address: 'maria@exemplo.example' }],
      mobilePhone: '+351 912 345 678',
      businessPhones: ['+351 21 123 4567'],
      homeAddress: { street: 'Rua A 1', city: 'Lisboa', postalCode: '1000-001', countryOrRegion: 'Portugal' },
      spouseName: 'João',
      personalNotes: 'Likes "tea", not coffee',
    });
  });

  it("reads Google's older export (Type columns, Name/Given Name/Family Name)", async () => {
    const { graph, format } = await planOf('google-older.csv');
    expect(format).toBe('Google Contacts CSV (older export)');
    expect(graph[0]).toMatchObject({ displayName: 'Peter Old', givenName: 'Peter', surname: 'Old', companyName: 'Old Co', jobTitle: 'Manager', mobilePhone: '+44 7700 900123', emailAddresses: [{ address: 'peter@old.example' }], birthday: '1970-01-02T11:59:00Z' });
  });

  it('reports an unknown header, an unclosed quote and an empty file by name, and reads the rows before a broken one', async () => {
    const plan = await planContacts([
      sourceFromText('other.csv', 'Foo,Bar\n1,2\n'),
      sourceFromText('broken.csv', 'First Name,Last Name,E-mail Address\nAnna,Lind,anna@example.org\n"Bob,Unclosed,bob@example.org\n'),
      sourceFromText('empty.csv', ''),
    ]);
    expect(plan.items.map((i) => i.graph.givenName)).toEqual(['Anna']);
    expect(plan.skipped.map((s) => `${s.source.file}: ${s.reason}`)).toEqual([
      'other.csv: the file was not read: its header row is not one of an Outlook or Google contacts export (no known column such as "First Name" or "E-mail Address")',
      'broken.csv: the rest of the file could not be read: a quoted field is never closed (line 3)',
      'empty.csv: the file was not read: the file has no header row',
    ]);
  });
});
