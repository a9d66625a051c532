import { describe, expect, inject, it } from 'vitest';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

describe('a first sync between two Dovecot mailboxes', () => {
  it('copies every message byte for byte with flags and dates, and a rerun copies nothing and counts all as already there', async () => {
    const src = addUser(dovecot, 'src');
    const dst = addUser(dovecot, 'dst');
    await seed(dovecot, src, ['Projects', 'Projects/2024'], [
      { folder: 'INBOX', raw: simpleMessage(1), flags: ['\\Seen'] },
      { folder: 'INBOX', raw: simpleMessage(2), flags: ['\\Flagged', '$Forwarded'] },
      { folder: 'Projects', raw: simpleMessage(3) },
      { folder: 'Projects.2024', raw: simpleMessage(4), date: new Date('2019-12-31T23:59:59Z') },
    ]);
    const state = tempState();
    const first = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state });
    expect(first.failed).toEqual([]);
    expect(first.folderErrors).toEqual([]);
    expect(first.copied).toBe(4);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));

    const second = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state });
    expect(second.copied).toBe(0);
    // "Already there" counts what earlier runs copied, not only what this run found.
    expect(second.alreadyPresent).toBe(4);
    expect(second.plan).toMatchObject({ messages: 4, alreadyDone: 4 });
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  });
});
