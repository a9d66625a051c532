import { describe, expect, inject, it } from 'vitest';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { openClient, seed, simpleMessage } from '../harness/mailbox.js';
import { imapsUrl, runCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');

interface FolderJson {
  source: string;
  target: string | null;
  leftOut: boolean;
  sourceCount: number;
  targetCount: number;
  missing: unknown[];
  duplicates: { messageId: string | null; subject: string; date: string | null; copies: number }[];
  extraOnTarget: number;
}

describe('compare tells the whole truth', () => {
  it('goes through the saved mapping: a renamed folder under its new name, a left-out one as left out, mail already there apart', async () => {
    const src = addUser(dovecot, 'map');
    const dst = addUser(dovecot, 'mapd');
    await seed(dovecot, src, ['Café', 'Sent', 'Projects', 'Projects/2024'], [
      { folder: 'INBOX', raw: simpleMessage(1) },
      { folder: 'Café', raw: simpleMessage(2) },
      { folder: 'Café', raw: simpleMessage(3) },
      { folder: 'Sent', raw: simpleMessage(4) },
      { folder: 'Projects.2024', raw: simpleMessage(5) },
    ]);
    // Mail that was in the new mailbox before Cutover.
    await seed(dovecot, dst, [], [{ folder: 'INBOX', raw: simpleMessage(900, { subject: 'Already in the new mailbox' }) }]);
    const stateDir = tempStateDir();
    const pair = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', stateDir, '--json'];
    // Source names as the old server shows them, with "/" between levels.
    const sync = await runCli(['sync', ...pair, '--map', 'Café=Kaffee', '--exclude', 'Sent', '--map', 'Projects/2024=Archive 2024']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout).copied).toBe(4);

    // No rules given: compare uses the ones saved with the pair.
    const compare = await runCli(['compare', ...pair]);
    expect(compare.code, compare.stdout).toBe(0);
    const report = JSON.parse(compare.stdout) as { folders: FolderJson[]; missingTotal: number; duplicateTotal: number; complete: boolean };
    const by = (name: string): FolderJson => report.folders.find((f) => f.source === name)!;
    expect(by('Café')).toMatchObject({ target: 'Kaffee', leftOut: false, sourceCount: 2, targetCount: 2, missing: [], duplicates: [] });
    expect(by('Sent')).toMatchObject({ target: null, leftOut: true, sourceCount: 1, missing: [] });
    expect(by('Projects.2024')).toMatchObject({ target: 'Archive 2024', missing: [] });
    expect(by('INBOX')).toMatchObject({ sourceCount: 1, targetCount: 2, extraOnTarget: 1, duplicates: [] });
    expect(report).toMatchObject({ missingTotal: 0, duplicateTotal: 0, complete: true });

    // A folder name the old mailbox does not have is an error naming it, not a silent copy.
    const typo = await runCli(['compare', ...pair, '--exclude', 'Sant']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('The old mailbox has no folder "Sant"');
  }, 90_000);

  it('lists copies beyond the source count per folder, and exits 1', async () => {
    const src = addUser(dovecot, 'dup');
    const dst = addUser(dovecot, 'dupd');
    const messages = [1, 2, 3].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n, { subject: `Subject ${n}` }) }));
    await seed(dovecot, src, [], messages);
    await seed(dovecot, dst, [], [...messages, messages[1]!, messages[1]!, messages[2]!]);
    const pair = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile];
    const compare = await runCli(['compare', ...pair, '--json']);
    expect(compare.code).toBe(1);
    const report = JSON.parse(compare.stdout) as { folders: FolderJson[]; duplicateTotal: number; complete: boolean };
    const inbox = report.folders.find((f) => f.source === 'INBOX')!;
    expect(inbox.missing).toEqual([]);
    expect(inbox.duplicates).toEqual([
      { messageId: '<msg-2@cutover.test>', subject: 'Subject 2', date: expect.any(String), copies: 2 },
      { messageId: '<msg-3@cutover.test>', subject: 'Subject 3', date: expect.any(String), copies: 1 },
    ]);
    expect(report).toMatchObject({ duplicateTotal: 3, complete: false });
    const human = await runCli(['compare', ...pair]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('3 extra copies are on the target');
    expect(human.stdout).not.toContain('Nothing is missing');
    // The source is not touched by looking.
    const client = await openClient(dovecot, src);
    expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: 3 });
    await client.logout();
  }, 60_000);
});
