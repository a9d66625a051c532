import { describe, expect, it } from 'vitest';
import { contactNamed as byName, planContactFixtures as plan, planVcf } from './plan-helpers.js';

describe('reading contacts as real producers write them', () => {
  it('reads Outlook vCard 2.1 with quoted-printable, Windows-1252, bare parameters and a photo', async () => {
    const p = await plan('outlook-2.1.vcf');
    expect(p.skipped).toEqual([]);
    const c = byName(p, 'Dr. Jürgen Müller');
    expect(c.graph).toMatchObject({
      givenName: 'Jürgen',
      surname: 'Müller',
      title: 'Dr.',
      companyName: 'Beispiel GmbH',
      department: 'Einkauf',
      jobTitle: 'Einkäufer',
      businessPhones: ['+49 30 1234567'],
      homePhones: ['+49 30 7654321'],
      mobilePhone: '+49 170 1234567',
      businessAddress: { street: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', countryOrRegion: 'Deutschland', state: '' },
      emailAddresses: [{ address: 'juergen.mueller@example.de', name: 'Dr. Jürgen Müller' }],
      birthday: '1975-04-12T11:59:00Z',
      spouseName: 'Anna Müller',
    });
    expect(c.graph.personalNotes).toContain('Erste Zeile\nZweite Zeile mit Umlaut ü und einem langen Text, der umgebrochen wird');
    expect(c.graph.personalNotes).toContain('Business fax: +49 30 1234568');
    expect(c.warnings.join(' ')).toMatch(/business fax \+49 30 1234568 has no Graph field/);
    expect(c.photo?.contentType).toBe('image/jpeg');
    expect(c.photo?.data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('reads Google vCard 3.0 with item groups, labels, several cards and escaped text', async () => {
    const p = await plan('google-3.0.vcf');
    expect(p.items).toHaveLength(2);
    const maria = byName(p, 'Maria García');
    expect(maria.graph).toMatchObject({
      emailAddresses: [{ address: 'maria@example.es' }, { address: 'maria.garcia@empresa.example' }],
      mobilePhone: '+34 600 123 456',
      businessPhones: ['+34 91 555 0101'],
      homeAddress: { street: 'Calle Mayor 5', city: 'Madrid', countryOrRegion: 'España' },
      businessHomePage: 'https://maria.example.es',
      categories: ['myContacts', 'Amigos'],
      birthday: '1988-11-02T11:59:00Z',
      personalNotes: 'Conocida en la conferencia, 2019.\nSegunda línea.',
    });
    expect(byName(p, 'Li Wei').graph).toMatchObject({ companyName: 'Example Ltd.', imAddresses: ['xmpp:liwei@example.cn'] });
  });

  it('reads Apple vCard 3.0: phonetic names, spouse label, year-less birthday, and reports its group with member names', async () => {
    const p = await plan('apple-3.0.vcf');
    const g = byName(p, 'Giulia Rossi');
    expect(g.graph).toMatchObject({ yomiGivenName: 'Jùlia', nickName: 'Giuli', spouseName: 'Marco Bianchi', birthday: '1604-07-15T11:59:00Z', mobilePhone: '+39 333 1234567' });
    expect(g.source.uid).toBe('B4F5C1A2-1111-4A3B-9C8D-ABCDEF012345');
    expect(p.groups).toEqual([expect.objectContaining({ name: 'Famiglia', members: ['Giulia Rossi'] })]);
    expect(p.skipped).toContainEqual({ source: expect.objectContaining({ uid: 'C0FFEE00-2222-4A3B-9C8D-ABCDEF012345' }), reason: expect.stringMatching(/contact group "Famiglia".*1 member\(s\): Giulia Rossi/) });
  });

  it('keeps vCard 4.0 within Graph limits: 3 e-mails and 2 business phones, the rest in the notes', async () => {
    const p = await plan('v4.vcf');
    const e = byName(p, 'Dr. Élodie Martin');
    expect((e.graph.emailAddresses as unknown[]).length).toBe(3);
    expect((e.graph.businessPhones as unknown[]).length).toBe(2);
    expect(e.graph).toMatchObject({ middleName: 'Claire', generation: 'PhD', birthday: '1604-03-15T11:59:00Z', spouseName: 'Paul Martin' });
    expect(e.graph.personalNotes).toContain('E-mail: elodie.m@autre.example');
    expect(e.graph.personalNotes).toContain('E-mail: em@cinquieme.example');
    expect(e.graph.personalNotes).toContain('+33-1-23-45-67-91');
    expect(e.warnings.join(' ')).toMatch(/beyond Graph's limit of 3/);
    expect(p.groups[0]).toMatchObject({ name: 'Équipe projet', members: ['Dr. Élodie Martin', 'not-in-this-file'] });
  });

  it('reports a truncated card and a missing file with their position, and keeps the rest', async () => {
    const p = await plan('broken.vcf', 'does-not-exist.vcf');
    expect(p.items.map((i) => i.graph.displayName)).toEqual(['Good One']);
    expect(p.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: expect.objectContaining({ line: 6 }), reason: expect.stringMatching(/"Broken" at line 6 .*no END:VCARD/) }),
        expect.objectContaining({ source: expect.objectContaining({ file: expect.stringMatching(/does-not-exist/) }), reason: 'cannot read the file: it does not exist' }),
      ]),
    );
  });

  it('survives random garbage without throwing', async () => {
    let seed = 3;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['BEGIN:VCARD\n', 'END:VCARD\n', 'VERSION:2.1\n', 'VERSION:4.0\n', 'N:;;\n', 'TEL;CELL:1\n', 'ADR:;;;\n', 'BDAY:--13\n', 'PHOTO;ENCODING=b:%%%\n', '=\n', 'X;;;:\n', '\u0000', ' folded\n', 'EMAIL:\n', 'NOTE;ENCODING=QUOTED-PRINTABLE:=ZZ=\n'];
    for (let i = 0; i < 300; i++) {
      const content = Array.from({ length: Math.floor(rand() * 30) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
      await expect(planVcf(content, 'fuzz.vcf')).resolves.toBeDefined();
    }
  });

  it('never exceeds Graph limits whatever the input', async () => {
    const many = Array.from({ length: 9 }, (_, i) => `EMAIL:a${i}@x.org\nTEL;TYPE=work:${i}\nTEL;TYPE=home:9${i}\nIMPP:xmpp:u${i}@x.org`).join('\n');
    const p = await planVcf(`BEGIN:VCARD\nVERSION:3.0\nFN:Many\n${many}\nEND:VCARD\n`);
    const g = p.items[0]!.graph;
    expect((g.emailAddresses as unknown[]).length).toBeLessThanOrEqual(3);
    expect((g.businessPhones as unknown[]).length).toBeLessThanOrEqual(2);
    expect((g.homePhones as unknown[]).length).toBeLessThanOrEqual(2);
    expect((g.imAddresses as unknown[]).length).toBeLessThanOrEqual(3);
  });
});
