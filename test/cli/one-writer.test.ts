import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/main/engine/state/open-database.js';
import { PairLease } from '../../src/main/engine/state/pair-lease.js';
import { PairState } from '../../src/main/engine/state/pair-state.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { imapsUrl, runCli, startCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');

function syncArgs(src: string, dst: string, stateDir: string): string[] {
  return ['sync', '--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', stateDir, '--json'];
}

describe('one copy of a mailbox pair at a time', () => {
  it('a second start exits 1 naming the running one, without touching the target', async () => {
    const src = addUser(dovecot, 'lease');
    const dst = addUser(dovecot, 'leased');
    await seed(dovecot, src, [], [1, 2, 3].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n) })));
    const stateDir = tempStateDir();
    // This test process holds the pair, as a running copy would.
    const db = openDatabase(stateDir);
    const pairId = new PairState(db).ensure(`${src}@127.0.0.1:${dovecot.imapsPort}`, `${dst}@127.0.0.1:${dovecot.imapsPort}`);
    const lease = PairLease.acquire(db, pairId, 'sync');
    try {
      const busy = await runCli(syncArgs(src, dst, stateDir));
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(new RegExp(`^cutover: another copy of this mailbox pair is running \\(pid ${process.pid}, since .+\\)\\.$`, 'm'));
      expect(JSON.parse(busy.stdout).error).toMatchObject({ code: 'pair-busy', facts: { pid: process.pid } });
      expect((await snapshot(dovecot, dst)).get('INBOX') ?? []).toHaveLength(0);
    } finally {
      lease.release();
      db.close();
    }
    const free = await runCli(syncArgs(src, dst, stateDir));
    expect(free.code, free.stderr).toBe(0);
    expect(JSON.parse(free.stdout).copied).toBe(3);
  }, 60_000);

  it('two syncs of the same pair started together make one exact copy', async () => {
    const src = addUser(dovecot, 'twin');
    const dst = addUser(dovecot, 'twind');
    const body = 't'.repeat(20_000);
    await seed(dovecot, src, ['Work'], Array.from({ length: 150 }, (_, i) => ({ folder: i % 2 ? 'Work' : 'INBOX', raw: simpleMessage(i, { body }) })));
    const stateDir = tempStateDir();
    const [a, b] = await Promise.all([startCli(syncArgs(src, dst, stateDir)).done, startCli(syncArgs(src, dst, stateDir)).done]);
    // Each either copied, or was turned away because the other one was running.
    for (const r of [a, b]) {
      if (r.code !== 0) expect(r.stderr).toMatch(/another copy of this mailbox pair is running/);
    }
    expect([a.code, b.code]).toContain(0);
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
    const copied = [a, b].filter((r) => r.code === 0).reduce((n, r) => n + JSON.parse(r.stdout).copied, 0);
    expect(copied).toBe(150);
  }, 120_000);
});
