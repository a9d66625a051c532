import { describe, expect, it } from 'vitest';
import { contactNamed, planContactFixtures, planVcf, vcard } from './plan-helpers.js';

describe('vCard text as real exporters encode it', () => {
  it('reads Outlook 2.1 without CHARSET as Windows-1252 and says so', async () => {
    const p = await planContactFixtures('outlook-2.1-cp1252.vcf');
    const c = contactNamed(p, 'Jürgen Größer');
    expect(c.graph).toMatchObject({
      givenName: 'Jürgen',
      surname: 'Größer',
      middleName: 'Maria',
      companyName: 'Bäckerei Größer GmbH',
      department: 'Verkauf & Außendienst',
      jobTitle: 'Geschäftsführer',
      profession: 'Bäckermeister',
      businessAddress: { street: 'Münchner Straße 12', city: 'München', state: 'Bayern', postalCode: '80331', countryOrRegion: 'Deutschland' },
    });
    expect(c.warnings).toContainEqual(expect.stringMatching(/^text in N, FN, ORG, TITLE.* was read as Windows-1252 \(the text is not valid UTF-8\)$/));
    expect(JSON.stringify(c.graph)).not.toContain('\uFFFD');
  });

  it('lets quoted-printable soft line breaks add nothing, also when the writer folds them with a blank', async () => {
    const c = contactNamed(await planContactFixtures('outlook-2.1-cp1252.vcf'), 'Jürgen Größer');
    expect(c.graph.personalNotes).toMatch(/^Lieferung nur vormittags, Hintereingang benutzen\.\nZweite Zeile: Grüße\n/);
    const plain = await planVcf(vcard('VERSION:2.1', 'FN:QP', 'NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Stra=C3=9Fe 1,=', 'Berlin=', ' Mitte'));
    expect(plain.items[0]!.graph.personalNotes).toBe('Straße 1,Berlin Mitte');
  });

  it('unfolds iOS TAB-folded lines on bytes, so a fold inside a multi-byte character leaves no U+FFFD', async () => {
    const c = contactNamed(await planContactFixtures('ios-tab-folded.vcf'), 'Αλέξανδρος Παπαδόπουλος');
    expect(c.graph).toMatchObject({
      companyName: 'Ελληνική Εταιρεία Λογισμικού Α.Ε.',
      department: 'Τμήμα Έρευνας και Ανάπτυξης',
      jobTitle: 'Διευθυντής Τεχνολογίας',
      homeAddress: { street: 'Οδός Ερμού 25\nΔιαμέρισμα 3', city: 'Αθήνα', postalCode: '105 63', countryOrRegion: 'Ελλάδα' },
    });
    expect(c.graph.personalNotes).toContain('Συναντηθήκαμε στο συνέδριο της Θεσσαλονίκης, Μάιος 2023. 東京オフィスの担当者でもある。');
    expect(JSON.stringify(c.graph)).not.toContain('\uFFFD');
    expect(c.warnings.join()).not.toMatch(/Windows-1252/);
  });

  it('splits a CJK character across a fold at every byte position and still reads it whole', async () => {
    const bytes = Buffer.from('NOTE:東京オフィス', 'utf8');
    for (let cut = 6; cut < bytes.length; cut++) {
      const folded = Buffer.concat([Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\n'), bytes.subarray(0, cut), Buffer.from('\r\n\t'), bytes.subarray(cut), Buffer.from('\r\nEND:VCARD\r\n')]);
      expect((await planVcf(folded)).items[0]!.graph.personalNotes, `cut at byte ${cut}`).toBe('東京オフィス');
    }
  });

  it('reads UTF-16 LE and BE files, with and without a byte-order mark', async () => {
    const text = vcard('VERSION:3.0', 'FN:García Ünal', 'ORG:Çiçek A.Ş.');
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(text, 'utf16le').swap16();
    for (const [bytes, assumed] of [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), null],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), null],
      [le, /UTF-16 LE \(it has no byte-order mark\)/],
      [be, /UTF-16 BE \(it has no byte-order mark\)/],
    ] as const) {
      const p = await planVcf(bytes);
      expect(p.items.map((i) => [i.graph.displayName, i.graph.companyName])).toEqual([['García Ünal', 'Çiçek A.Ş.']]);
      if (assumed) expect(p.items[0]!.warnings.join()).toMatch(assumed);
      else expect(p.items[0]!.warnings).toEqual([]);
    }
  });

  it('reads a Windows-1252 vCard 3.0 and warns, where it used to write "Garc\uFFFDa" silently', async () => {
    const p = await planVcf(Buffer.from(vcard('VERSION:3.0', 'FN:María García', 'N:García;María;;;'), 'latin1'));
    expect(p.items[0]!.graph).toMatchObject({ displayName: 'María García', surname: 'García' });
    expect(p.items[0]!.warnings).toEqual(['text in FN, N was read as Windows-1252 (the text is not valid UTF-8)']);
  });

  it('honours a declared CHARSET and falls back when the name is unknown', async () => {
    const iso = Buffer.concat([Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-2:'), Buffer.from([0x50, 0xb3, 0xf3, 0x64, 0xbc]), Buffer.from('\r\nEND:VCARD\r\n')]);
    expect((await planVcf(iso)).items[0]!.graph.displayName).toBe('Płódź');
    const unknown = await planVcf(vcard('VERSION:2.1', 'FN;CHARSET=X-MAC-KLINGON:Qapla’'));
    expect(unknown.items[0]!.graph.displayName).toBe('Qapla’');
    expect(unknown.items[0]!.warnings.join()).toMatch(/read as UTF-8 \(its CHARSET "X-MAC-KLINGON" is unknown\)/);
  });
});
