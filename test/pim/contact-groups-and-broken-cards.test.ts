import { describe, expect, it } from 'vitest';
import { planContactFixtures, planVcf, vcard } from './plan-helpers.js';

describe('contact groups and broken cards', () => {
  it('reports vCard 4.0 groups (KIND:group) in skipped with their members, resolved by urn:uuid and mailto', async () => {
    const p = await planContactFixtures('v4-groups.vcf');
    expect(p.items.map((i) => i.graph.displayName)).toEqual(['Yamada Taro', 'Anna Svensson']);
    expect(p.groups).toEqual([{ source: expect.objectContaining({ uid: 'urn:uuid:9a8b7c6d-0000-4000-8000-0000000000aa', line: 23 }), name: 'Projekt Kirschblüte', members: ['Yamada Taro', 'Anna Svensson', 'someone.else@example.org'] }]);
    expect(p.skipped).toEqual([
      {
        source: expect.objectContaining({ uid: 'urn:uuid:9a8b7c6d-0000-4000-8000-0000000000aa' }),
        reason: 'contact group "Projekt Kirschblüte" cannot be created through Microsoft Graph; its 3 member(s): Yamada Taro, Anna Svensson, someone.else@example.org',
      },
    ]);
  });

  it("reports Apple's X-ADDRESSBOOKSERVER groups the same way", async () => {
    const p = await planContactFixtures('apple-3.0.vcf');
    expect(p.groups.map((g) => [g.name, g.members])).toEqual([['Famiglia', ['Giulia Rossi']]]);
  });

  it('reports a card with a line without ":" and a card without END:VCARD by line and name, and reads the cards after them', async () => {
    const p = await planContactFixtures('broken-cards.vcf');
    expect(p.items.map((i) => i.graph.displayName)).toEqual(['First Good', 'After Broken']);
    expect(p.skipped).toEqual([
      { source: expect.objectContaining({ uid: 'broken-colon-1', line: 6 }), reason: 'the card "Colin Colonless" at line 6 is broken: line 10 has no ":", so the card cannot be read reliably' },
      { source: expect.objectContaining({ uid: '', line: 13 }), reason: 'the card "Nora No-End" at line 13 is broken: the card has no END:VCARD before the next card begins at line 17' },
    ]);
  });

  it('names a broken card by N or e-mail when it has no FN, and says when the file ends inside a card', async () => {
    const p = await planVcf('BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nbroken line\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nEMAIL:last@example.org\n');
    expect(p.skipped.map((s) => s.reason)).toEqual([
      'the card "Jane Doe" at line 1 is broken: line 4 has no ":", so the card cannot be read reliably',
      'the card "last@example.org" at line 6 is broken: the card has no END:VCARD (the file ends at line 8; truncated?)',
    ]);
  });

  it('skips a line that does not start with a property name, keeps the card and says so', async () => {
    const p = await planVcf(vcard('VERSION:3.0', 'FN:Kept', '%%%:garbage', 'EMAIL:kept@example.org'));
    expect(p.items[0]!.graph).toMatchObject({ displayName: 'Kept', emailAddresses: [{ address: 'kept@example.org' }] });
    expect(p.items[0]!.warnings).toEqual(['line 4 does not start with a property name; it was skipped']);
  });

  it('says when a file holds no vCard at all', async () => {
    const p = await planVcf('just some text\n', 'notes.vcf');
    expect(p.skipped).toEqual([{ source: { file: 'notes.vcf', uid: '' }, reason: 'no vCard found in this file (no BEGIN:VCARD line)' }]);
  });
});
