import type { ImapFlow } from 'imapflow';
import { describe, expect, inject, it } from 'vitest';
import type { StateStore } from '../../src/main/engine/state/state-store.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, openClient, recreateFolder, seed, simpleMessage, snapshot } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

async function uidValidityOf(client: ImapFlow, path: string): Promise<bigint | undefined> {
  const status = await client.status(path, { uidValidity: true });
  return status ? status.uidValidity : undefined;
}
const sync = (src: string, dst: string, state: StateStore, extra: Partial<Parameters<typeof runSync>[0]> = {}) =>
  runSync({ source: account(dovecot, src), target: account(dovecot, dst), state, ...extra });

describe('incremental reruns', () => {
  it('copies only new messages and carries source flag changes over, never touching the source', async () => {
    const src = addUser(dovecot, 'inc');
    const dst = addUser(dovecot, 'incd');
    await seed(dovecot, src, ['Work'], [1, 2, 3].map((n) => ({ folder: 'Work', raw: simpleMessage(n) })));
    const state = tempState();
    expect((await sync(src, dst, state)).copied).toBe(3);
    const sourceBefore = digest(await snapshot(dovecot, src));

    const noop = await sync(src, dst, state);
    expect([noop.copied, noop.alreadyPresent, noop.flagsUpdated]).toEqual([0, 3, 0]);
    expect(digest(await snapshot(dovecot, src))).toEqual(sourceBefore);

    // New mail and a flag change on the source.
    await seed(dovecot, src, [], [{ folder: 'Work', raw: simpleMessage(4) }]);
    const client = await openClient(dovecot, src);
    await client.mailboxOpen('Work');
    await client.messageFlagsAdd('1', ['\\Seen', '\\Flagged']);
    await client.logout();

    const third = await sync(src, dst, state);
    expect(third.copied).toBe(1);
    expect(third.flagsUpdated).toBe(1);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  });

  it('never deletes on the target when a message disappears from the source', async () => {
    const src = addUser(dovecot, 'del');
    const dst = addUser(dovecot, 'deld');
    await seed(dovecot, src, [], [1, 2].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n) })));
    const state = tempState();
    await sync(src, dst, state);
    const client = await openClient(dovecot, src);
    await client.mailboxOpen('INBOX');
    await client.messageDelete('1');
    await client.logout();
    const again = await sync(src, dst, state);
    expect(again.failed).toEqual([]);
    expect((await snapshot(dovecot, dst)).get('INBOX')).toHaveLength(2);
  });

  it('re-matches by Message-ID after the source UIDVALIDITY changes instead of copying again', async () => {
    const src = addUser(dovecot, 'uv');
    const dst = addUser(dovecot, 'uvd');
    await seed(dovecot, src, ['Old'], [1, 2, 3].map((n) => ({ folder: 'Old', raw: simpleMessage(n) })));
    const state = tempState();
    await sync(src, dst, state);

    // Recreate the folder with the same messages: same name, new UIDVALIDITY, new UIDs.
    let client = await openClient(dovecot, src);
    const before = await uidValidityOf(client, 'Old');
    await client.logout();
    await recreateFolder(dovecot, src, 'Old');
    client = await openClient(dovecot, src);
    const after = await uidValidityOf(client, 'Old');
    await client.logout();
    expect(after).not.toBe(before);

    const again = await sync(src, dst, state);
    expect(again.copied).toBe(0);
    expect((await snapshot(dovecot, dst)).get('Old')).toHaveLength(3);
  });

  it('leaves messages that were on the target before Cutover ran and copies only the rest', async () => {
    const src = addUser(dovecot, 'pre');
    const dst = addUser(dovecot, 'pred');
    const messages = [1, 2, 3, 4, 5].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n), flags: n === 2 ? ['\\Seen'] : [] }));
    await seed(dovecot, src, [], messages);
    await seed(dovecot, dst, [], [messages[0]!, messages[1]!]);
    const summary = await sync(src, dst, tempState());
    expect(summary.copied).toBe(3);
    expect(summary.alreadyPresent).toBe(2);
    expect((await snapshot(dovecot, dst)).get('INBOX')).toHaveLength(5);
  });

  it('lists messages over the size limit as skipped, and copies them once the limit allows', async () => {
    const src = addUser(dovecot, 'lim');
    const dst = addUser(dovecot, 'limd');
    await seed(dovecot, src, [], [
      { folder: 'INBOX', raw: simpleMessage(1) },
      { folder: 'INBOX', raw: simpleMessage(2, { subject: 'Holiday photos', body: 'x'.repeat(50_000) }) },
    ]);
    const state = tempState();
    const first = await sync(src, dst, state, { maxMessageSize: 10_000 });
    expect(first.copied).toBe(1);
    expect(first.skipped).toHaveLength(1);
    expect(first.skipped[0]).toMatchObject({ folder: 'INBOX', subject: 'Holiday photos' });
    expect(first.skipped[0]!.reason).toMatch(/larger than/);
    const rerun = await sync(src, dst, state, { maxMessageSize: 10_000 });
    expect(rerun.skipped).toHaveLength(1);
    const raised = await sync(src, dst, state, { maxMessageSize: 1_000_000 });
    expect(raised.copied).toBe(1);
    expect(raised.skipped).toHaveLength(0);
  });
});

describe('repair', () => {
  it('copies again a message that vanished from the target, when asked to verify the target', async () => {
    const src = addUser(dovecot, 'rep');
    const dst = addUser(dovecot, 'repd');
    await seed(dovecot, src, [], [1, 2, 3].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n) })));
    const state = tempState();
    await sync(src, dst, state);
    const client = await openClient(dovecot, dst);
    await client.mailboxOpen('INBOX');
    await client.messageDelete('2');
    await client.logout();
    expect((await sync(src, dst, state)).copied).toBe(0);
    const repaired = await sync(src, dst, state, { verifyTarget: true });
    expect(repaired.copied).toBe(1);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
  });
});
