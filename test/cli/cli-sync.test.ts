import { describe, expect, inject, it } from 'vitest';
import { addUser } from '../harness/dovecot.js';
import { tempStateDir } from '../harness/accounts.js';
import { openClient, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { imapsUrl, runCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');

describe('cutover sync and compare on the command line', () => {
  it('prints one JSON summary, exits 0, and compare then finds nothing missing', async () => {
    const src = addUser(dovecot, 'cli');
    const dst = addUser(dovecot, 'clid');
    await seed(dovecot, src, ['Work'], [
      { folder: 'INBOX', raw: simpleMessage(1) },
      { folder: 'Work', raw: simpleMessage(2), flags: ['\\Seen'] },
    ]);
    const args = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile];
    const sync = await runCli(['sync', ...args, '--state-dir', tempStateDir(), '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    const summary = JSON.parse(sync.stdout);
    expect(summary).toMatchObject({ copied: 2, alreadyPresent: 0, flagsUpdated: 0, skipped: [], failed: [] });
    expect(summary.folders).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'INBOX', target: 'INBOX', copied: 1, total: 1 }),
        expect.objectContaining({ source: 'Work', target: 'Work', copied: 1, total: 1 }),
      ]),
    );
    const compare = await runCli(['compare', ...args, '--json']);
    expect(compare.code, compare.stderr).toBe(0);
    const report = JSON.parse(compare.stdout);
    for (const f of report.folders) expect(f.missing).toEqual([]);
  });

  it('reports a deliberately missing message in compare and exits 1', async () => {
    const src = addUser(dovecot, 'cmp');
    const dst = addUser(dovecot, 'cmpd');
    await seed(dovecot, src, [], [1, 2, 3].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n, { subject: `Subject ${n}` }) })));
    await seed(dovecot, dst, [], [1, 3].map((n) => ({ folder: 'INBOX', raw: simpleMessage(n, { subject: `Subject ${n}` }) })));
    const args = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile];
    const compare = await runCli(['compare', ...args, '--json']);
    expect(compare.code).toBe(1);
    const inbox = JSON.parse(compare.stdout).folders.find((f: { source: string }) => f.source === 'INBOX');
    expect(inbox).toMatchObject({ sourceCount: 3, targetCount: 2, extraOnTarget: 0, flagMismatches: 0 });
    expect(inbox.missing).toEqual([expect.objectContaining({ messageId: '<msg-2@cutover.test>', subject: 'Subject 2' })]);
    const human = await runCli(['compare', ...args]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('1 messages are missing on the target');
  });

  it('records a message the target refuses with the server reason, copies the rest and exits 1', async () => {
    const src = addUser(dovecot, 'ref');
    const dst = addUser(dovecot, 'refd', { small: true });
    await seed(dovecot, src, [], [
      { folder: 'INBOX', raw: simpleMessage(1) },
      { folder: 'INBOX', raw: simpleMessage(2, { subject: 'Too big for this mailbox', body: 'y'.repeat(60_000) }) },
      { folder: 'INBOX', raw: simpleMessage(3) },
    ]);
    const args = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile];
    const sync = await runCli(['sync', ...args, '--state-dir', tempStateDir(), '--json']);
    expect(sync.code).toBe(1);
    const summary = JSON.parse(sync.stdout);
    expect(summary.copied).toBe(2);
    expect(summary.failed).toEqual([expect.objectContaining({ folder: 'INBOX', uid: 2 })]);
    expect(summary.failed[0].reason).toMatch(/too large|size/i);
    expect((await snapshot(dovecot, dst)).get('INBOX')).toHaveLength(2);
  });

  it('names the account and the fix for a wrong password, and does not echo it', async () => {
    const src = addUser(dovecot, 'pw');
    const dst = addUser(dovecot, 'pwd');
    const res = await runCli(
      ['sync', '--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', tempStateDir()],
      { CUTOVER_SOURCE_PASSWORD: 'not-the-password-42' },
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`old (source) mailbox ${src}@127.0.0.1`);
    expect(res.stderr).toMatch(/check the user name and password/);
    expect(res.stderr + res.stdout).not.toContain('not-the-password-42');
  });

  it('refuses a certificate it cannot verify unless its CA is given with --ca', async () => {
    const src = addUser(dovecot, 'tls');
    const dst = addUser(dovecot, 'tlsd');
    const res = await runCli(['sync', '--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--state-dir', tempStateDir()]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/certificate .* is not trusted.*--ca FILE/);
  });

  it('uses STARTTLS for imap:// and plaintext only when asked for on loopback', async () => {
    const src = addUser(dovecot, 'stl');
    const dst = addUser(dovecot, 'stld');
    await seed(dovecot, src, [], [{ folder: 'INBOX', raw: simpleMessage(1) }]);
    const res = await runCli([
      'sync',
      '--source', `imap://${src}@127.0.0.1:${dovecot.imapPort}`,
      '--target', `imap://${dst}@127.0.0.1:${dovecot.imapPort}?tls=none`,
      '--ca', dovecot.caFile, '--state-dir', tempStateDir(), '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).copied).toBe(1);
  });

  it('exits 2 with a clear message for bad flags and URLs', async () => {
    const bad = [
      ['sync', '--source', 'imaps://a@127.0.0.1'],
      ['sync', '--source', 'imaps://a:secret@h', '--target', 'imaps://b@h'],
      ['sync', '--source', 'imaps://a@h', '--target', 'imaps://b@h', '--connections', 'many'],
      ['sync', '--source', 'imaps://a@h', '--target', 'imaps://b@h', '--bogus'],
      ['frobnicate'],
    ];
    for (const args of bad) {
      const res = await runCli(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(/^cutover: /);
      expect(res.stderr).not.toContain('secret');
    }
  });

  it('never changes the source: flags stay as they were after copying unread mail', async () => {
    const src = addUser(dovecot, 'ro');
    const dst = addUser(dovecot, 'rod');
    await seed(dovecot, src, [], [{ folder: 'INBOX', raw: simpleMessage(1), flags: [] }]);
    const res = await runCli(['sync', '--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', tempStateDir(), '--json']);
    expect(res.code).toBe(0);
    const client = await openClient(dovecot, src);
    await client.mailboxOpen('INBOX', { readOnly: true });
    const msg = await client.fetchOne('1', { flags: true });
    await client.logout();
    expect(msg && [...(msg.flags ?? [])].filter((f) => f !== '\\Recent')).toEqual([]);
  });
});
