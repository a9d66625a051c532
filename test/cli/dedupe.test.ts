import { describe, expect, inject, it } from 'vitest';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { openClient, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { imapsUrl, runCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');

describe('removing the extra copies Cutover made', () => {
  it('previews, needs a confirmation, removes only Cutover’s own extra copies, and never anything else', async () => {
    const src = addUser(dovecot, 'dedupe');
    const dst = addUser(dovecot, 'deduped');
    const messages = Array.from({ length: 6 }, (_, i) => ({ folder: 'INBOX', raw: simpleMessage(i, { subject: `Note ${i}` }) }));
    await seed(dovecot, src, [], messages);

    // How duplicates happened before there was one writer per pair: two installs (two state
    // folders) copying at once. Copy A is held right after committing its intent, B copies
    // everything meanwhile, then A appends too: every message twice, A's copies in A's journal.
    const stateA = tempState();
    let reached!: () => void;
    const atIntent = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const copyA = runSync({
      source: account(dovecot, src),
      target: account(dovecot, dst),
      state: stateA,
      crash: async (point) => {
        if (point !== 'after-intent') return;
        reached();
        await gate;
      },
    });
    await atIntent;
    expect((await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state: tempState() })).copied).toBe(6);
    release();
    expect((await copyA).copied).toBe(6);
    // And one copy the user made by hand (not Cutover's: it must stay).
    await seed(dovecot, dst, [], [{ ...messages[1]!, flags: ['$ByHand'] }]);
    expect((await snapshot(dovecot, dst)).get('INBOX')).toHaveLength(13);

    const pair = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', stateA.dir];
    const before = await runCli(['compare', ...pair, '--json']);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout).duplicateTotal).toBe(7);

    // Removing needs a confirmation: no terminal and no --yes is refused.
    const unconfirmed = await runCli(['dedupe', ...pair]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/confirm with --yes, or look first with --dry-run/);

    const preview = await runCli(['dedupe', ...pair, '--dry-run', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    const plan = JSON.parse(preview.stdout).plan;
    expect(plan).toMatchObject({ remove: 6, keptUnproven: 1 });
    expect(plan.folders[0].groups.find((g: { subject: string }) => g.subject === 'Note 1')).toMatchObject({ sourceCount: 1, targetCount: 3, remove: 1, keptUnproven: 1 });
    expect((await snapshot(dovecot, dst)).get('INBOX')).toHaveLength(13);
    const text = await runCli(['dedupe', ...pair, '--dry-run']);
    expect(text.stdout).toContain('6 extra copies Cutover made can be removed.');
    expect(text.stdout).toContain('1 extra copies are left alone: Cutover cannot prove it made them.');

    const removed = await runCli(['dedupe', ...pair, '--yes', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout).removed).toBe(6);
    const inbox = (await snapshot(dovecot, dst)).get('INBOX')!;
    expect(inbox).toHaveLength(7);
    expect(inbox.filter((m) => m.flags.includes('$ByHand'))).toHaveLength(1);

    // What is left is the hand-made copy; a rerun of the copy finds everything in place.
    const after = JSON.parse((await runCli(['compare', ...pair, '--json'])).stdout);
    expect(after).toMatchObject({ missingTotal: 0, duplicateTotal: 1 });
    const rerun = await runCli(['sync', ...pair, '--json', '--repair']);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ copied: 0 });
    expect((await snapshot(dovecot, dst)).get('INBOX')).toHaveLength(7);

    // The source was never touched.
    const client = await openClient(dovecot, src);
    expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: 6 });
    await client.logout();
  }, 120_000);
});
