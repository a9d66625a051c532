import { describe, expect, inject, it } from 'vitest';
import { connectReader } from '../../src/main/engine/imap/imap-account.js';
import { joinBytes } from '../../src/main/engine/mail/message-bytes.js';
import { account } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { seed, simpleMessage } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

describe('a large message read in slices', () => {
  it('comes out byte for byte as one whole FETCH gives it, whatever the slice size', async () => {
    const user = addUser(dovecot, 'slices');
    // Lines of every length, so slice edges fall inside lines, inside CRLFs and at the very end.
    const body = Array.from({ length: 400 }, (_, i) => 'x'.repeat(i % 97)).join('\r\n');
    await seed(dovecot, user, [], [{ folder: 'INBOX', raw: simpleMessage(1, { body }) }]);
    const reader = await connectReader(account(dovecot, user));
    try {
      await reader.examine('INBOX');
      const [size] = [...(await reader.sizesOf('1:*'))].map(([uid, bytes]) => ({ uid, size: bytes }));
      const [fetched] = await reader.fetchRaw([size!.uid]);
      const whole = joinBytes(fetched!.parts);
      expect(whole.length).toBeGreaterThan(10_000);
      expect(fetched!.size).toBe(whole.length);
      for (const slice of [1000, 4096, whole.length, whole.length + 1]) {
        const sliced = await reader.fetchInSlices(size!.uid, size!.size, slice);
        expect(joinBytes(sliced!.parts).equals(whole), `slice ${slice}`).toBe(true);
      }
      // A wrong size from the server does not lose bytes: the buffer grows.
      expect(joinBytes((await reader.fetchInSlices(size!.uid, 10, 3000))!.parts).equals(whole)).toBe(true);
      // A message that is gone: null, not an error.
      expect(await reader.fetchInSlices(size!.uid + 100, 5000, 1000)).toBeNull();
      // fetchLarge (what a copy uses): the same bytes, whole, and null when gone.
      expect(joinBytes((await reader.fetchLarge(size!.uid, size!.size, 1000))!.parts).equals(whole)).toBe(true);
      expect(await reader.fetchLarge(size!.uid + 100, 5000, 1000)).toBeNull();
    } finally {
      await reader.logout();
    }
  });
});
