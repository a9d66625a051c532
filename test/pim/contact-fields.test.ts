import { describe, expect, it } from 'vitest';
import { contactNamed, planContactFixtures, planVcf, vcard } from './plan-helpers.js';

describe('every vCard field lands somewhere, and is said so', () => {
  it('undoes every vCard 3.0 text escape in every text property, NOTE included', async () => {
    const c = contactNamed(await planContactFixtures('google-escapes.vcf'), "O'Brien, Siobhán");
    expect(c.graph).toMatchObject({
      nickName: 'Shiv, the boss',
      companyName: 'Smith, Jones & Partners; Solicitors',
      department: 'Litigation, EMEA',
      jobTitle: 'Partner; Head of Litigation',
      businessAddress: { street: '12 Merrion Square\nSuite 4, 2nd floor', city: 'Dublin', postalCode: 'D02 X285', countryOrRegion: 'Ireland' },
      businessHomePage: 'https://smithjones.example/people/obrien',
      categories: ['myContacts', 'Legal, Dublin'],
    });
    expect(c.graph.personalNotes).toMatch(/^Prefers calls after 10:00; never on Fridays\.\nAssistant: Mary, ext\. 12\.\nShare path: \\\\files\\legal\\obrien\n/);
    expect(JSON.stringify(c.graph)).not.toMatch(/\\\\[;,n]/);
  });

  it('keeps backslashes in vCard 2.1, which has no such escapes (Windows paths in Outlook notes)', async () => {
    const p = await planVcf(vcard('VERSION:2.1', 'FN:Path', 'NOTE:See C:\\Users\\new\\notes.txt'));
    expect(p.items[0]!.graph.personalNotes).toBe('See C:\\Users\\new\\notes.txt');
  });

  it('maps related names, IM addresses and phonetic names to the Graph fields that exist', async () => {
    const ios = contactNamed(await planContactFixtures('ios-tab-folded.vcf'), 'Αλέξανδρος Παπαδόπουλος');
    expect(ios.graph).toMatchObject({
      spouseName: 'Ελένη Παπαδοπούλου',
      children: ['Νίκος', 'Μαρία'],
      manager: 'Γιώργος Δημητρίου',
      assistantName: 'Σοφία Κ.',
      imAddresses: ['skype:alexandros.p'],
      yomiGivenName: 'Alexandros',
      yomiSurname: 'Papadopoulos',
    });
    const outlook = contactNamed(await planContactFixtures('outlook-2.1-cp1252.vcf'), 'Jürgen Größer');
    expect(outlook.graph).toMatchObject({ manager: 'Theresa Groß', assistantName: 'Lukas Öztürk', spouseName: 'Anneliese Größer', imAddresses: ['juergen@im.example'] });
    const v4 = contactNamed(await planContactFixtures('v4-groups.vcf'), 'Yamada Taro');
    expect(v4.graph).toMatchObject({ yomiSurname: 'やまだ', yomiGivenName: 'たろう', yomiCompanyName: 'かぶしきがいしゃれい', spouseName: '山田花子', children: ['山田一郎'] });
    const apple = await planVcf(vcard('VERSION:3.0', 'FN:Sato', 'X-PHONETIC-ORG:Sato Shoji', 'SORT-STRING:さとう', 'X-AIM:sato42', 'X-JABBER:sato@jabber.example', 'X-GOOGLE-IM:sato@gmail.example'));
    expect(apple.items[0]!.graph).toMatchObject({ yomiCompanyName: 'Sato Shoji', yomiSurname: 'さとう', imAddresses: ['sato42', 'sato@jabber.example', 'sato@gmail.example'] });
  });

  it('puts anniversaries, other dates, gender and other related names into the notes and names each in the warnings', async () => {
    const ios = contactNamed(await planContactFixtures('ios-tab-folded.vcf'), 'Αλέξανδρος Παπαδόπουλος');
    expect(ios.graph.personalNotes).toContain('Also in the old address book:\nAnniversary: 2015-06-20\nMother: Κατερίνα Παπαδοπούλου\nSocial profile (twitter): https://twitter.com/alexp');
    expect(ios.warnings).toEqual(
      expect.arrayContaining([
        'the anniversary (2015-06-20) has no Outlook contact field and was put in the notes',
        'the related name "Κατερίνα Παπαδοπούλου" (mother) has no Outlook contact field and was put in the notes',
      ]),
    );
    const v4 = contactNamed(await planContactFixtures('v4-groups.vcf'), 'Yamada Taro');
    expect(v4.graph.personalNotes).toBe('Also in the old address book:\nAnniversary: 2010-04-12\nGender: male\nFriend: Suzuki Ken\nTime zone: Asia/Tokyo');
    expect(v4.warnings).toEqual(
      expect.arrayContaining(['the gender has no Outlook contact field and was put in the notes', 'the anniversary (2010-04-12) has no Outlook contact field and was put in the notes']),
    );
    const outlook = contactNamed(await planContactFixtures('outlook-2.1-cp1252.vcf'), 'Jürgen Größer');
    expect(outlook.graph.personalNotes).toContain('Anniversary: 1995-06-17');
    expect(outlook.graph.personalNotes).toContain('Business phone: +49 89 1234562');
    expect(outlook.graph.personalNotes).toContain('Car phone: +49 171 9999999');
    const dates = await planVcf(vcard('VERSION:3.0', 'FN:D', 'item1.X-ABDATE:2001-02-03', 'item1.X-ABLabel:Kennengelernt', 'X-WAB-GENDER:1', 'X-CUSTOM-FIELD:Lieblingsfarbe grün', 'LOGO;ENCODING=b;TYPE=PNG:iVBORw0KGgo='));
    const d = dates.items[0]!;
    expect(d.graph.personalNotes).toBe('Also in the old address book:\nKennengelernt: 2001-02-03\nGender: female\nX-CUSTOM-FIELD: Lieblingsfarbe grün');
    expect(d.warnings).toEqual(
      expect.arrayContaining([
        'the date "Kennengelernt" (2001-02-03) has no Outlook contact field and was put in the notes',
        'X-CUSTOM-FIELD has no Outlook contact field and was put in the notes',
        'the logo (LOGO) was not copied',
      ]),
    );
  });

  it('leaves out only what describes the file, not the person (VERSION, PRODID, REV, LABEL, Outlook card layout)', async () => {
    const outlook = contactNamed(await planContactFixtures('outlook-2.1-cp1252.vcf'), 'Jürgen Größer');
    const text = JSON.stringify(outlook);
    for (const absent of ['X-MS-OL-DESIGN', 'electronicbusinesscards', '20240311T101500Z', '80331 M']) expect(text).not.toContain(absent);
  });

  it('keeps the UID exactly as written, urn:uuid: included', async () => {
    const p = await planContactFixtures('v4-groups.vcf');
    expect(p.items.map((i) => i.source.uid)).toEqual(['urn:uuid:0d4f4a2e-6c1f-4b8e-9a52-0c3b2f1a9e77', 'urn:uuid:7c1b2d3e-0000-4000-8000-000000000001']);
  });
});
