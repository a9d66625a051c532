import { describe, expect, inject, it } from 'vitest';
import { connectReader, connectWriter } from '../../src/main/engine/imap/imap-account.js';
import type { TargetWriter } from '../../src/main/engine/imap/target-writer.js';
import { joinBytes } from '../../src/main/engine/mail/message-bytes.js';
import { collect } from '../../src/main/engine/sync/copy-shared.js';
import { account } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { seed, simpleMessage, snapshot } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

/** The FETCH and APPEND of a copy are spoken on imapflow's socket directly (imap/wire/): here against a real Dovecot. */
describe('bodies read and stored on the socket directly', () => {
  it('reads exact bytes and gives the connection back to imapflow in working order, calls at once included', async () => {
    const user = addUser(dovecot, 'wire-read');
    const raws = [1, 2, 3, 4].map((n) => Buffer.from(simpleMessage(n, { body: `body ${n} ${'x'.repeat(n * 400_000)}` })));
    await seed(dovecot, user, [], raws.map((raw) => ({ folder: 'INBOX', raw })));
    const reader = await connectReader(account(dovecot, user));
    try {
      await reader.examine('INBOX');
      const uids = [...(await reader.sizesOf('1:*')).keys()];
      const all = await reader.fetchRaw(uids);
      expect(all.map((m) => joinBytes(m.parts).equals(raws[uids.indexOf(m.uid)]!))).toEqual([true, true, true, true]);
      expect(all.map((m) => m.size)).toEqual(raws.map((r) => r.length));
      // imapflow reads the same connection afterwards, then the wire again.
      expect((await collect(reader.fetchMeta('1:*'))).map((m) => m.uid)).toEqual(uids);
      // Calls made at once take turns on the one connection.
      const [a, b, c] = await Promise.all([reader.fetchRaw([uids[0]!]), reader.fetchBinary(uids[1]!), reader.fetchRaw([uids[2]!, uids[3]!])]);
      expect(joinBytes(a[0]!.parts).equals(raws[0]!)).toBe(true);
      expect(b?.equals(raws[1]!)).toBe(true);
      expect(c.map((m) => m.uid)).toEqual([uids[2], uids[3]]);
      // imapflow asked for something while a wire FETCH owns the socket: queued, answered after it.
      const big = reader.fetchRaw(uids);
      await new Promise((r) => setImmediate(r));
      const sizes = collect(reader.fetchMeta('1:*'));
      expect((await big).length).toBe(4);
      expect((await sizes).map((m) => m.size)).toEqual(raws.map((r) => r.length));
      // A UID that is gone is simply not in the answer.
      expect(await reader.fetchRaw([uids[3]! + 50])).toEqual([]);
      expect(reader.isUsable).toBe(true);
    } finally {
      await reader.logout();
    }
  });

  it('stores each message on its own where asked: the refused one is reported with the server’s reason, the others are stored exactly', async () => {
    const user = addUser(dovecot, 'wire-refuse', { limit5mb: true });
    const writer = await connectWriter(account(dovecot, user));
    const small = (n: number): Buffer => Buffer.from(simpleMessage(n));
    const large = Buffer.from(simpleMessage(9, { body: 'y'.repeat(6 * 1024 * 1024) }));
    const date = new Date('2020-02-03T04:05:06Z');
    try {
      await writer.select('INBOX');
      const outcomes = await writer.appendEach('INBOX', [
        { parts: [small(1)], size: small(1).length, flags: ['\\Seen'], internalDate: date },
        // A message in three pieces, as a copy holds one that spans blocks.
        { parts: [large.subarray(0, 100), large.subarray(100, 5000), large.subarray(5000)], size: large.length, flags: [], internalDate: null },
        { parts: [small(2)], size: small(2).length, flags: ['\\Flagged', '$Label1'], internalDate: date },
      ]);
      expect(outcomes.map((o) => o.stored)).toEqual([true, false, true]);
      const refused = outcomes[1]!;
      if (refused.stored) throw new Error('unreachable');
      expect(refused.error.code).toBe('server-refused');
      expect(refused.error.detail ?? refused.error.message).toMatch(/too large|size/i);
      const uids = outcomes.flatMap((o) => (o.stored ? [o.uid] : []));
      expect(uids.every((u) => typeof u === 'number' && u > 0)).toBe(true);
      // Flags go out as imapflow's own APPEND sends them: "\\seen" as \\Seen, a keyword that is no IMAP atom left off.
      const odd = small(5);
      expect(await writer.appendEach('INBOX', [{ parts: [odd], size: odd.length, flags: ['\\seen', 'foo]bar', '$Ok'], internalDate: null }])).toMatchObject([{ stored: true }]);
      // The connection still works for imapflow (flags) and for the wire (a MULTIAPPEND).
      await writer.addFlags(uids[0]!, ['\\Answered']);
      const many = await writer.appendMany('INBOX', [3, 4].map((n) => ({ parts: [small(n)], size: small(n).length, flags: [], internalDate: date })));
      expect(many.uids).toHaveLength(2);
    } finally {
      await writer.logout();
    }
    const stored = (await snapshot(dovecot, user)).get('INBOX')!;
    expect(stored.map((m) => m.body.toString())).toEqual([1, 2, 5, 3, 4].map((n) => simpleMessage(n)));
    expect(stored.map((m) => [...m.flags].sort())).toEqual([['\\Answered', '\\Seen'], ['$Label1', '\\Flagged'], ['$Ok', '\\Seen'], [], []]);
    expect(new Date(stored[0]!.internalDate).toISOString()).toBe(date.toISOString());
  });

  it('holds a command asked of imapflow meanwhile until the APPEND is out, so nothing lands inside a message', async () => {
    const user = addUser(dovecot, 'wire-hold');
    const writer = await connectWriter(account(dovecot, user));
    const first = Buffer.from(simpleMessage(1));
    const big = (n: number): Buffer => Buffer.from(simpleMessage(n, { body: String(n).repeat(3 * 1024 * 1024) }));
    try {
      await writer.select('INBOX');
      const [stored] = await writer.appendEach('INBOX', [{ parts: [first], size: first.length, flags: [], internalDate: null }]);
      if (!stored?.stored || stored.uid === null) throw new Error('the first message was not stored');
      const sending = writer.appendMany('INBOX', [2, 3].map((n) => ({ parts: [big(n)], size: big(n).length, flags: [], internalDate: null })));
      // The MULTIAPPEND is being written (several MB, 256 KB at a time) when imapflow is asked for a STORE.
      await new Promise((r) => setImmediate(r));
      const flagging = writer.addFlags(stored.uid, ['\\Flagged']);
      expect((await sending).uids).toHaveLength(2);
      await flagging;
    } finally {
      await writer.logout();
    }
    const inbox = (await snapshot(dovecot, user)).get('INBOX')!;
    expect(inbox.map((m) => m.body.equals(m.uid === inbox[0]!.uid ? first : big(inbox.indexOf(m) + 1)))).toEqual([true, true, true]);
    expect(inbox[0]!.flags).toContain('\\Flagged');
  });

  it('waits for the server’s "+" before each literal where it has no LITERAL+, one APPEND or many', async () => {
    const user = addUser(dovecot, 'wire-sync');
    const writer = await connectWriter(account(dovecot, user));
    withoutLiteralPlus(writer);
    const raw = (n: number): Buffer => Buffer.from(simpleMessage(n, { body: 'z'.repeat(20_000 + n) }));
    try {
      await writer.select('INBOX');
      const each = await writer.appendEach('INBOX', [1, 2].map((n) => ({ parts: [raw(n)], size: raw(n).length, flags: [], internalDate: null })));
      expect(each.map((o) => o.stored)).toEqual([true, true]);
      const many = await writer.appendMany('INBOX', [3, 4, 5].map((n) => ({ parts: [raw(n)], size: raw(n).length, flags: ['\\Seen'], internalDate: null })));
      expect(many.uids).toHaveLength(3);
    } finally {
      await writer.logout();
    }
    const stored = (await snapshot(dovecot, user)).get('INBOX')!;
    expect(stored.map((m) => m.body.equals(raw(stored.indexOf(m) + 1)))).toEqual([true, true, true, true, true]);
  });
});

/** The server's LITERAL+ hidden from Cutover, as a server without it would be. */
function withoutLiteralPlus(writer: TargetWriter): void {
  const client = (writer as unknown as { connection: { client: { capabilities: Map<string, unknown> } } }).connection.client;
  client.capabilities.delete('LITERAL+');
  expect(writer.hasCapability('LITERAL+')).toBe(false);
}
