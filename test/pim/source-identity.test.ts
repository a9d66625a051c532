import { describe, expect, it } from 'vitest';
import { matchReexported, sourceKey } from '../../src/main/engine/pim/source-identity.js';
import { ics, planIcs, planVcf, vcard } from './plan-helpers.js';

describe('the identity of a contact or event does not depend on the file it came in', () => {
  it('gives the same keys to the same address book and calendar under two file names and paths', async () => {
    const book = vcard('VERSION:3.0', 'UID:c-1', 'FN:Ann Example') + vcard('VERSION:3.0', 'FN:No Uid', 'EMAIL:no-uid@example.org');
    const a = await planVcf(book, '/home/anna/Downloads/contacts.vcf');
    const b = await planVcf(book, 'C:\\Users\\anna\\Desktop\\contacts (1).vcf');
    expect(a.items.map((i) => i.key)).toEqual(b.items.map((i) => i.key));
    expect(a.items[0]!.key).toBe('contact:uid:c-1');
    expect(a.items[1]!.key).toMatch(/^contact:content:[\w-]{22}$/);
    const cal = ics('BEGIN:VEVENT', 'UID:e-1', 'DTSTART:20250101T100000Z', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=2', 'END:VEVENT');
    const c = await planIcs(cal, 'Europe/Berlin', '/tmp/calendar.ics');
    const d = await planIcs(cal, 'Europe/Berlin', 'Kalender-Export.ics');
    expect(c.items.map((i) => i.key)).toEqual(['event:uid:e-1@2025-01-01T10:00:00Z', 'event:uid:e-1@2025-01-31T10:00:00Z']);
    expect(d.items.map((i) => i.key)).toEqual(c.items.map((i) => i.key));
  });

  it('never writes the file name or path into what is sent to Microsoft 365', async () => {
    const p = await planVcf(vcard('VERSION:3.0', 'UID:c-2', 'FN:Private Path'), '/home/anna/secret-folder/contacts.vcf');
    expect(JSON.stringify(p.items[0]!.graph)).not.toContain('secret-folder');
    const e = await planIcs(ics('BEGIN:VEVENT', 'UID:e-2', 'DTSTART:20250101T100000Z', 'END:VEVENT'), 'UTC', '/home/anna/secret-folder/cal.ics');
    expect(JSON.stringify(e.items[0]!.graph)).not.toContain('secret-folder');
  });

  it('gives a re-export with new UIDs but the same content the same contentKey, and changed content another', async () => {
    const before = await planVcf(vcard('VERSION:3.0', 'UID:old-uid', 'REV:20240101T000000Z', 'FN:Ann Example', 'EMAIL:ann@example.org'));
    const after = await planVcf(vcard('VERSION:3.0', 'UID:new-uid', 'REV:20250101T000000Z', 'FN:Ann Example', 'EMAIL:ann@example.org'));
    const changed = await planVcf(vcard('VERSION:3.0', 'UID:new-uid', 'FN:Ann Example', 'EMAIL:ann@new.example'));
    expect(after.items[0]!.contentKey).toBe(before.items[0]!.contentKey);
    expect(after.items[0]!.key).not.toBe(before.items[0]!.key);
    expect(changed.items[0]!.contentKey).not.toBe(before.items[0]!.contentKey);
    const e1 = await planIcs(ics('BEGIN:VEVENT', 'UID:x', 'DTSTAMP:20240101T000000Z', 'DTSTART:20250101T100000Z', 'SUMMARY:Same', 'END:VEVENT'));
    const e2 = await planIcs(ics('BEGIN:VEVENT', 'UID:y', 'DTSTAMP:20250601T000000Z', 'SEQUENCE:3', 'DTSTART:20250101T100000Z', 'SUMMARY:Same', 'END:VEVENT'));
    expect(e2.items[0]!.contentKey).toBe(e1.items[0]!.contentKey);
  });

  it('copies a contact or event that appears in two chosen files once, and says which copy was used', async () => {
    const card = vcard('VERSION:3.0', 'UID:twice', 'FN:Twice');
    const { planContacts } = await import('../../src/main/engine/contacts/plan-contacts.js');
    const { sourceFromText } = await import('../../src/main/engine/pim/read-source-files.js');
    const p = await planContacts([sourceFromText('contacts.vcf', card), sourceFromText('contacts (1).vcf', card)]);
    expect(p.items.map((i) => [i.source.file, i.key])).toEqual([['contacts (1).vcf', 'contact:uid:twice']]);
    expect(p.skipped).toEqual([{ source: { file: 'contacts.vcf', uid: 'twice', line: 1 }, reason: 'the same contact appears again with the same content in contacts (1).vcf (line 1); that copy is the one copied' }]);
  });

  it('lets the copy step find its earlier copy of a re-exported item, and of an item copied by an older Cutover', () => {
    const planned = [
      { key: 'contact:uid:new-uid', contentKey: 'K1' },
      { key: 'contact:uid:c-7', contentKey: 'K7' },
      { key: 'contact:uid:urn:uuid:abc', contentKey: 'K8' },
      { key: 'contact:uid:same', contentKey: 'K9' },
    ];
    const owned = [
      { key: 'contact:uid:old-uid', contentKey: 'K1', id: 'g1' },
      { key: '/home/anna/contacts.vcf#c-7', contentKey: null, id: 'g2' },
      { key: 'contacts.vcf#abc', contentKey: null, id: 'g3' },
      { key: 'contact:uid:same', contentKey: 'K9', id: 'g4' },
      // Another planned item's own copy is never taken for a re-export.
      { key: 'contact:uid:c-7', contentKey: 'K1', id: 'g5' },
    ];
    const m = matchReexported(planned, owned);
    expect(Object.fromEntries([...m].map(([k, v]) => [k, v.id]))).toEqual({ 'contact:uid:new-uid': 'g1', 'contact:uid:urn:uuid:abc': 'g3' });
    // c-7 is on the target under its own key already: updated in place, nothing adopted.
    expect(m.has('contact:uid:c-7')).toBe(false);
    expect(sourceKey('event', 'u', 'K', '2025-01-01')).toBe('event:uid:u@2025-01-01');
    expect(sourceKey('contact', 'x'.repeat(600), 'K')).toMatch(/^contact:uid:sha256:[\w-]{22}$/);
  });
});
