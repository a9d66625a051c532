import { describe, expect, inject, it } from 'vitest';
import { compareMailboxes } from '../../src/main/engine/compare/compare-mailboxes.js';
import { account } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { openClient, seed, simpleMessage } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

describe('a comparison reads each side in UID ranges (compare/compare-mailboxes.ts)', () => {
  it('finds the same as reading whole folders, with missing mail, extra copies and gaps across page ends', async () => {
    const src = addUser(dovecot, 'cmp-pages');
    const dst = addUser(dovecot, 'cmp-pagesd');
    const msg = (n: number): string => simpleMessage(n, { subject: `Message ${n}` });
    // Source: 1..20 in INBOX (some gone afterwards: gaps in its UIDs), 21..24 in Work.
    await seed(dovecot, src, ['Work'], [...Array.from({ length: 20 }, (_, i) => ({ folder: 'INBOX', raw: msg(i + 1) })), ...[21, 22, 23, 24].map((n) => ({ folder: 'Work', raw: msg(n) }))]);
    const client = await openClient(dovecot, src);
    try {
      await client.mailboxOpen('INBOX');
      await client.messageDelete('4,5,11', { uid: true });
    } finally {
      await client.logout();
    }
    // Target: INBOX lacks 7 and 16, has 2 twice and 19 three times, and one message not from the source; Work is whole.
    const onTarget = [1, 2, 2, 3, 6, 8, 9, 10, 12, 13, 14, 15, 17, 18, 19, 19, 19, 20, 99];
    await seed(dovecot, dst, ['Work'], [...onTarget.map((n) => ({ folder: 'INBOX', raw: msg(n) })), ...[21, 22, 23, 24].map((n) => ({ folder: 'Work', raw: msg(n) }))]);

    const request = { source: account(dovecot, src), target: account(dovecot, dst) };
    const paged = await compareMailboxes({ ...request, pageSize: 3 });
    const whole = await compareMailboxes({ ...request, pageSize: 10_000 });
    expect(paged).toEqual(whole);

    const inbox = paged.folders.find((f) => f.source === 'INBOX')!;
    expect(inbox).toMatchObject({ target: 'INBOX', sourceCount: 17, targetCount: 19, extraOnTarget: 1, flagMismatches: 0 });
    expect(inbox.missing.map((m) => m.subject)).toEqual(['Message 7', 'Message 16']);
    expect(inbox.duplicates.map((d) => [d.subject, d.copies])).toEqual([
      ['Message 2', 1],
      ['Message 19', 2],
    ]);
    expect(paged.folders.find((f) => f.source === 'Work')).toMatchObject({ sourceCount: 4, targetCount: 4, missing: [], duplicates: [] });
    expect(paged).toMatchObject({ missingTotal: 2, duplicateTotal: 3, complete: false });
  }, 60_000);

  it('when one side fails, reports that side’s error (not the other side stopping) and logs both out', async () => {
    const src = addUser(dovecot, 'cmp-fail');
    const dst = addUser(dovecot, 'cmp-faild');
    await seed(dovecot, src, [], Array.from({ length: 30 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i + 1) })));
    await seed(dovecot, dst, [], Array.from({ length: 30 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i + 1) })));
    const base = { sourceDelimiter: '/', targetDelimiter: '/', special: null, reason: 'same-name' as const, selectable: true };
    // The target's folder is there; the source's is not: the source side fails at EXAMINE while the target reads pages.
    const failing = compareMailboxes({ source: account(dovecot, src), target: account(dovecot, dst), pageSize: 2, mapping: [{ ...base, source: 'Gone', target: 'INBOX', targetExists: true }] });
    await expect(failing).rejects.toMatchObject({ code: 'server-refused', message: expect.stringMatching(/old \(source\) mailbox/) });
    // Nothing is left behind: the same accounts compare cleanly right after.
    const clean = await compareMailboxes({ source: account(dovecot, src), target: account(dovecot, dst), pageSize: 7 });
    expect(clean).toMatchObject({ complete: true, missingTotal: 0 });
    expect(clean.folders.find((f) => f.source === 'INBOX')).toMatchObject({ sourceCount: 30, targetCount: 30 });
  }, 60_000);
});
