import { describe, expect, inject, it } from 'vitest';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { expectJournalCoversTarget } from '../harness/journal.js';
import { digest, openClient, recreateFolder, seed, simpleMessage, snapshot, type SeedMessage } from '../harness/mailbox.js';
import { imapsUrl, runCli, startCli } from '../harness/run-cli.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const dovecot = inject('dovecot');

/**
 * Each test kills the real CLI with SIGKILL at a named point inside the engine (engine/sync/
 * crash-points.ts, installed by the CLI from CUTOVER_TEST_CRASH_AT under test only), so the kill
 * lands exactly there on any machine, fast or loaded. At the kill the journal must already know
 * everything on the target; the rerun must end byte-exact with no duplicate, and one more run
 * copies nothing.
 */
function pair(label: string, targetUrl?: (user: string) => string): { src: string; dst: string; stateDir: string; args: string[] } {
  const src = addUser(dovecot, label);
  const dst = addUser(dovecot, `${label}d`);
  const stateDir = tempStateDir();
  const target = targetUrl ? targetUrl(dst) : imapsUrl(dst, dovecot.imapsPort);
  return { src, dst, stateDir, args: ['sync', '--source', imapsUrl(src, dovecot.imapsPort), '--target', target, '--ca', dovecot.caFile, '--state-dir', stateDir, '--json'] };
}

async function killedAt(args: string[], point: string): Promise<void> {
  const res = await runCli(args, { CUTOVER_TEST_CRASH_AT: point });
  // SIGKILL proves the run reached the point: nothing here depends on timing.
  expect(res.signal, `the run ended without reaching ${point}: ${res.stderr}`).toBe('SIGKILL');
}

async function finishesExactly(p: { src: string; dst: string; args: string[] }, extra: string[] = []): Promise<void> {
  const final = await runCli([...p.args, ...extra]);
  expect(final.code, final.stderr).toBe(0);
  // Independent check: every source message exactly once on the target, same bytes, flags, date.
  expect(digest(await snapshot(dovecot, p.dst))).toEqual(digest(await snapshot(dovecot, p.src)));
  const again = JSON.parse((await runCli(p.args)).stdout);
  expect(again.copied).toBe(0);
}

/** 80 + 40 messages of 30 kB: INBOX needs two batches (2 MB each), so later points are reached too. */
function mailbox(): SeedMessage[] {
  const filler = 'z'.repeat(30_000);
  return Array.from({ length: 120 }, (_, i) => ({
    folder: i % 3 === 0 ? 'Archive' : 'INBOX',
    raw: simpleMessage(i, { body: `${i} ${filler}`, messageId: i % 40 === 0 ? null : undefined }),
    flags: i % 5 === 0 ? ['\\Seen'] : [],
  }));
}

describe('killing the real CLI at each named crash point, then running it again', () => {
  it('while copying: after the intent, during a MULTIAPPEND, after the APPEND, and with the answer to a stored MULTIAPPEND unread', async () => {
    // The target is reached through a proxy (plaintext on loopback) that can hold the server's answers.
    const proxy = await TcpProxy.start(dovecot.imapPort);
    try {
      const p = pair('kill', (user) => `imap://${encodeURIComponent(user)}@127.0.0.1:${proxy.port}?tls=none`);
      const args = [...p.args, '--connections', '1'];
      await seed(dovecot, p.src, ['Archive'], mailbox());
      for (const point of ['after-intent:1', 'during-multiappend:1', 'after-append:2']) {
        await killedAt(args, point);
        await expectJournalCoversTarget(dovecot, p.dst, p.stateDir);
      }
      // The server has stored a whole MULTIAPPEND and said so; the CLI dies before reading it.
      proxy.holdWhenServerSays('[APPENDUID');
      const run = startCli(args);
      await expect.poll(() => proxy.holding || run.child.exitCode !== null, { timeout: 60_000, interval: 20 }).toBe(true);
      expect(proxy.holding, 'the run ended before a MULTIAPPEND was answered').toBe(true);
      run.child.kill('SIGKILL');
      await run.done;
      proxy.release();
      await expectJournalCoversTarget(dovecot, p.dst, p.stateDir);
      await finishesExactly({ ...p, args });
    } finally {
      await proxy.stop();
    }
  }, 180_000);

  it('before-flags-store: flag changes are carried over after the kill', async () => {
    const p = pair('kflag');
    await seed(dovecot, p.src, [], Array.from({ length: 12 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i) })));
    expect((await runCli(p.args)).code).toBe(0);
    const client = await openClient(dovecot, p.src);
    await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd('1:3', ['\\Flagged', '\\Seen']);
    await client.logout();
    await seed(dovecot, p.src, [], [{ folder: 'INBOX', raw: simpleMessage(100) }]);
    await killedAt(p.args, 'before-flags-store');
    await expectJournalCoversTarget(dovecot, p.dst, p.stateDir);
    await finishesExactly(p);
  }, 120_000);

  it('during-uidvalidity-rematch: a recreated source folder is matched again, not copied twice', async () => {
    const p = pair('kuv');
    await seed(dovecot, p.src, ['Old'], Array.from({ length: 12 }, (_, i) => ({ folder: 'Old', raw: simpleMessage(i) })));
    expect((await runCli(p.args)).code).toBe(0);
    await recreateFolder(dovecot, p.src, 'Old');
    await killedAt(p.args, 'during-uidvalidity-rematch');
    await expectJournalCoversTarget(dovecot, p.dst, p.stateDir);
    await finishesExactly(p);
  }, 120_000);

  it('during a repair: copies that vanished from the target come back exactly once', async () => {
    const p = pair('krep');
    await seed(dovecot, p.src, [], Array.from({ length: 20 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i) })));
    expect((await runCli(p.args)).code).toBe(0);
    const client = await openClient(dovecot, p.dst);
    await client.mailboxOpen('INBOX');
    await client.messageDelete('3:7');
    await client.logout();
    await killedAt([...p.args, '--repair'], 'during-repair');
    await killedAt([...p.args, '--repair'], 'after-append:1');
    await expectJournalCoversTarget(dovecot, p.dst, p.stateDir, { doneIsThere: false });
    await finishesExactly(p, ['--repair']);
  }, 120_000);
});
