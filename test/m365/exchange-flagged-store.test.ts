import { describe, expect, inject, it } from 'vitest';
import { exchangeAppendFlags } from '../../src/main/engine/m365/exchange-target.js';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { seed, simpleMessage, snapshot, type StoredMessage } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

/** Subject line → flags of each message in the target's INBOX, read independently of the engine. */
async function flagsBySubject(user: string): Promise<Record<string, string[]>> {
  const inbox: StoredMessage[] = (await snapshot(dovecot, user)).get('INBOX') ?? [];
  return Object.fromEntries(inbox.map((m) => [/^Subject: (.*)$/m.exec(m.body.toString('latin1'))![1]!.trim(), [...m.flags].sort()]));
}

/**
 * Exchange's flag policy (m365/exchange-target.ts) as the copy applies it, against Dovecot standing
 * in for the Exchange IMAP server: the APPEND carries no \Flagged, a UID STORE sets it afterwards.
 */
describe('\\Flagged on an Exchange target', () => {
  const messages = [
    { folder: 'INBOX', raw: simpleMessage(1, { subject: 'flagged and read' }), flags: ['\\Flagged', '\\Seen'] },
    { folder: 'INBOX', raw: simpleMessage(2, { subject: 'only read' }), flags: ['\\Seen'] },
    { folder: 'INBOX', raw: simpleMessage(3, { subject: 'only flagged' }), flags: ['\\Flagged'] },
  ];
  const expected = { 'flagged and read': ['\\Flagged', '\\Seen'], 'only read': ['\\Seen'], 'only flagged': ['\\Flagged'] };

  it('appends a flagged message without \\Flagged and sets it by STORE after, so it arrives flagged', async () => {
    const src = addUser(dovecot, 'xfsrc');
    const dst = addUser(dovecot, 'xfdst');
    await seed(dovecot, src, [], messages);
    const state = tempState();
    let appended: Record<string, string[]> | null = null;
    const summary = await runSync({
      source: account(dovecot, src),
      target: account(dovecot, dst),
      state,
      appendFlags: exchangeAppendFlags,
      // Every APPEND is answered and recorded here; the STOREs have not been sent yet.
      crash: async (point) => {
        if (point === 'before-flags-store') appended = await flagsBySubject(dst);
      },
    });
    expect(summary.copied).toBe(3);
    expect(summary.failed).toEqual([]);
    expect(appended).toEqual({ 'flagged and read': ['\\Seen'], 'only read': ['\\Seen'], 'only flagged': [] });
    expect(await flagsBySubject(dst)).toEqual(expected);

    const again = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state, appendFlags: exchangeAppendFlags });
    expect(again.copied).toBe(0);
    expect(again.flagsUpdated).toBe(0);
    state.close();
  });

  it('a run stopped between the APPEND and the STORE sets \\Flagged on the next run, copying nothing twice', async () => {
    const src = addUser(dovecot, 'xfksrc');
    const dst = addUser(dovecot, 'xfkdst');
    await seed(dovecot, src, [], messages);
    const state = tempState();
    const stopped = runSync({
      source: account(dovecot, src),
      target: account(dovecot, dst),
      state,
      appendFlags: exchangeAppendFlags,
      crash: (point) => {
        if (point === 'before-flags-store') throw new Error('stopped before the flags STORE');
      },
    });
    const first = await stopped.then(
      (summary) => summary.folderErrors.length,
      () => 1,
    );
    expect(first, 'the run went past the point where it was stopped').toBe(1);
    expect(await flagsBySubject(dst)).toEqual({ 'flagged and read': ['\\Seen'], 'only read': ['\\Seen'], 'only flagged': [] });

    const next = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state, appendFlags: exchangeAppendFlags });
    expect(next.copied).toBe(0);
    expect(next.failed).toEqual([]);
    expect(await flagsBySubject(dst)).toEqual(expected);
    state.close();
  });
});
