import { describe, expect, inject, it } from 'vitest';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, openClient, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { imapsUrl, runCli, startCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');

async function targetCount(user: string): Promise<number> {
  const client = await openClient(dovecot, user);
  try {
    let total = 0;
    for (const f of await client.list({ statusQuery: { messages: true } })) total += f.status?.messages ?? 0;
    return total;
  } finally {
    await client.logout();
  }
}

describe('killing the real CLI process mid-run', () => {
  it('loses nothing and duplicates nothing after kill -9 at several points and a rerun', async () => {
    const src = addUser(dovecot, 'kill');
    const dst = addUser(dovecot, 'killd');
    const filler = 'z'.repeat(30_000);
    const messages = Array.from({ length: 900 }, (_, i) => ({
      folder: i % 3 === 0 ? 'Archive' : 'INBOX',
      raw: simpleMessage(i, { body: `${i} ${filler}`, messageId: i % 40 === 0 ? null : undefined }),
      flags: i % 5 === 0 ? ['\\Seen'] : [],
    }));
    await seed(dovecot, src, ['Archive'], messages);
    const stateDir = tempStateDir();
    const args = ['sync', '--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', stateDir, '--connections', '1', '--json'];

    let killedMidRun = 0;
    for (const step of [1, 1, 1]) {
      const before = await targetCount(dst);
      const { child, done } = startCli(args);
      // Kill as soon as the target has grown by `step` messages (or the run ended by itself).
      for (;;) {
        if (child.exitCode !== null) break;
        if ((await targetCount(dst)) - before >= step) {
          child.kill('SIGKILL');
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const res = await done;
      if (res.signal === 'SIGKILL') killedMidRun++;
    }
    expect(killedMidRun).toBeGreaterThanOrEqual(2);
    const mid = await targetCount(dst);
    expect(mid).toBeLessThan(messages.length);

    const final = await runCli(args);
    expect(final.code, final.stderr).toBe(0);
    // Independent check: every source message exactly once on the target, same bytes, flags, date.
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
    const rerun = JSON.parse((await runCli(args)).stdout);
    expect(rerun.copied).toBe(0);
  }, 180_000);
});
