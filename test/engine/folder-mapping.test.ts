import { describe, expect, inject, it } from 'vitest';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

describe('folders arrive where the user expects them', () => {
  it('maps German special folders onto the target special folders found by SPECIAL-USE', async () => {
    const src = addUser(dovecot, 'de');
    const dst = addUser(dovecot, 'ded');
    await seed(dovecot, src, ['Gesendete Elemente', 'Papierkorb', 'Entwürfe', 'Spam', 'Archiv', 'Kunden'], [
      { folder: 'Gesendete Elemente', raw: simpleMessage(1) },
      { folder: 'Papierkorb', raw: simpleMessage(2) },
      { folder: 'Spam', raw: simpleMessage(3) },
    ]);
    await seed(dovecot, dst, ['Sent Items', 'Deleted Items', 'Drafts', 'Junk Email', 'Archive'], []);
    const summary = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state: tempState() });
    const where = Object.fromEntries(summary.mapping.map((m) => [m.source, [m.target, m.reason]]));
    expect(where).toMatchObject({
      INBOX: ['INBOX', 'inbox'],
      'Gesendete Elemente': ['Sent Items', 'well-known-name'],
      Papierkorb: ['Deleted Items', 'well-known-name'],
      'Entwürfe': ['Drafts', 'well-known-name'],
      Spam: ['Junk Email', 'well-known-name'],
      Archiv: ['Archive', 'well-known-name'],
      Kunden: ['Kunden', 'same-name'],
    });
    const target = await snapshot(dovecot, dst);
    expect(target.get('Sent Items')).toHaveLength(1);
    expect(target.get('Deleted Items')).toHaveLength(1);
    expect(target.get('Junk Email')).toHaveLength(1);
    expect(target.has('Papierkorb')).toBe(false);
  });

  it('translates the hierarchy delimiter and keeps non-ASCII, deeply nested names', async () => {
    const src = addUser(dovecot, 'dot');
    const dst = addUser(dovecot, 'slash', { delimiter: '/' });
    const deep = ['Über', 'Ärger & Co', '日本語', 'Niveau 4', 'Niveau 5', 'Niveau 6'];
    const folders = deep.map((_, i) => deep.slice(0, i + 1).join('/'));
    await seed(dovecot, src, [...folders, 'Reports 2024/01'.replace('/', '-')], [
      { folder: deep.join('.'), raw: simpleMessage(1) },
      { folder: 'Über.Ärger & Co', raw: simpleMessage(2) },
    ]);
    const summary = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state: tempState() });
    expect(summary.folderErrors).toEqual([]);
    const target = await snapshot(dovecot, dst);
    expect(target.get(deep.join('/'))).toHaveLength(1);
    expect(target.get('Über/Ärger & Co')).toHaveLength(1);
    const source = digest(await snapshot(dovecot, src));
    const translated = Object.fromEntries(Object.entries(source).map(([k, v]) => [k.split('.').join('/'), v]));
    expect(digest(target)).toEqual(translated);
  });

  it('follows user rules: an excluded folder is not copied and a renamed one lands under its new name', async () => {
    const src = addUser(dovecot, 'rule');
    const dst = addUser(dovecot, 'ruled');
    await seed(dovecot, src, ['Private', 'Private/Diary', 'Old Stuff'], [
      { folder: 'Private.Diary', raw: simpleMessage(1) },
      { folder: 'Old Stuff', raw: simpleMessage(2) },
    ]);
    const summary = await runSync({
      source: account(dovecot, src),
      target: account(dovecot, dst),
      state: tempState(),
      rules: { exclude: ['Private'], rename: { 'Old Stuff': 'Archive/2010' } },
    });
    expect(summary.mapping.find((m) => m.source === 'Private.Diary')).toMatchObject({ target: null, reason: 'user-excluded' });
    const target = await snapshot(dovecot, dst);
    expect([...target.keys()].some((k) => k.startsWith('Private'))).toBe(false);
    expect(target.get('Archive.2010')).toHaveLength(1);
  });
});
