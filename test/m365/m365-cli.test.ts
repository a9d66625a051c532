import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenCacheFile } from '../../src/main/engine/auth/m365-settings.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { FakeBrowser } from '../harness/fake-browser.js';
import { GERMAN_FOLDERS, GraphStandin } from '../harness/graph-standin.js';
import { addPimRoutes } from '../harness/graph-standin-pim.js';
import { m365Env, signInToStateDir, tokensIn } from '../harness/m365.js';
import { seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { imapsUrl, runCli, startCli, type CliResult } from '../harness/run-cli.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let graph: GraphStandin;
let env: Record<string, string>;

beforeAll(async () => {
  graph = await GraphStandin.start(pki, oidc);
  addPimRoutes(graph);
  env = m365Env(oidc, pki.caFile, graph.url, dovecot.imapsPort);
});
afterAll(async () => graph.stop());

async function cliLogin(user: string, stateDir: string): Promise<CliResult> {
  const run = startCli(['login', '--state-dir', stateDir], env);
  const deadline = Date.now() + 15_000;
  let url: string | undefined;
  while (!url && Date.now() < deadline) {
    url = /(https:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(run.output().stderr)?.[1];
    if (!url) await new Promise((r) => setTimeout(r, 25));
  }
  if (!url) throw new Error(`no sign-in URL printed: ${run.output().stderr}`);
  await new FakeBrowser(readFileSync(pki.caFile, 'utf8')).signIn(url, user);
  return run.done;
}

describe('cutover with Microsoft 365 as the target', () => {
  it('logs in, syncs into localized Exchange folders with $MDNSent, compares, and logs out, never leaking a token', async () => {
    const src = addUser(dovecot, 'msrc');
    const user = addUser(dovecot, 'm365', { m365: true });
    graph.configureUser(user, { folders: GERMAN_FOLDERS });
    // The Exchange mailbox already has its (German) special folders.
    await seed(dovecot, user, ['Gesendete Elemente', 'Gelöschte Elemente', 'Entwürfe', 'Junk-E-Mail', 'Archiv'], []);
    await seed(dovecot, src, ['Sent', 'Trash', 'Files'], [
      { folder: 'INBOX', raw: simpleMessage(1, { headers: 'Disposition-Notification-To: boss@example.org' }) },
      { folder: 'INBOX', raw: simpleMessage(2), flags: ['\\Flagged', '\\Seen'] },
      { folder: 'Sent', raw: simpleMessage(3) },
      { folder: 'Trash', raw: simpleMessage(4) },
      { folder: 'Files', raw: simpleMessage(5) },
    ]);
    const stateDir = tempStateDir();
    const outputs: string[] = [];

    const login = await cliLogin(user, stateDir);
    outputs.push(login.stdout, login.stderr);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`Signed in to Microsoft 365 as ${user}`);
    expect(statSync(tokenCacheFile(stateDir)).mode & 0o777).toBe(0o600);

    const who = await runCli(['whoami', '--state-dir', stateDir, '--json'], env);
    outputs.push(who.stdout, who.stderr);
    expect(JSON.parse(who.stdout)).toMatchObject({ signedIn: true, username: user });

    const target = `m365:${user}`;
    const args = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', target, '--ca', dovecot.caFile, '--state-dir', stateDir];
    const sync = await runCli(['sync', ...args, '--json'], env);
    outputs.push(sync.stdout, sync.stderr);
    expect(sync.code, sync.stderr).toBe(0);
    const summary = JSON.parse(sync.stdout);
    expect(summary.copied).toBe(5);
    const where = Object.fromEntries(summary.folders.map((f: { source: string; target: string }) => [f.source, f.target]));
    expect(where).toMatchObject({ INBOX: 'INBOX', Sent: 'Gesendete Elemente', Trash: 'Gelöschte Elemente', Files: 'Files (old mailbox)' });

    const mailbox = await snapshot(dovecot, user);
    const inbox = mailbox.get('INBOX')!;
    const receipt = inbox.find((m) => m.body.includes(Buffer.from('Disposition-Notification-To')))!;
    expect(receipt.flags).toContain('$MDNSent');
    expect(inbox.find((m) => m.flags.includes('\\Flagged'))).toBeDefined();
    expect(mailbox.get('Gesendete Elemente')).toHaveLength(1);

    const again = await runCli(['sync', ...args, '--json'], env);
    expect(JSON.parse(again.stdout).copied).toBe(0);
    const compare = await runCli(['compare', ...args, '--json'], env);
    outputs.push(compare.stdout, compare.stderr);
    expect(compare.code, compare.stderr).toBe(0);

    // No token or password in any output, in the state database, or anywhere but the token cache.
    const tokens = tokensIn(tokenCacheFile(stateDir));
    expect(tokens.length).toBeGreaterThan(1);
    // Every file, also in the folders the service keeps there (logs/, reports/).
    const elsewhere = readdirSync(stateDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name !== 'm365-token-cache.json')
      .map((f) => readFileSync(join(f.parentPath, f.name)).toString('latin1'));
    expect(elsewhere.length).toBeGreaterThan(1);
    for (const secret of [...tokens, TEST_PASSWORD]) {
      for (const text of [...outputs, ...elsewhere]) expect(text.includes(secret)).toBe(false);
    }

    const logout = await runCli(['logout', '--state-dir', stateDir], env);
    expect(logout.code).toBe(0);
    expect(existsSync(tokenCacheFile(stateDir))).toBe(false);
    const whoAfter = await runCli(['whoami', '--state-dir', stateDir], env);
    expect(whoAfter.code).toBe(1);
    const syncAfter = await runCli(['sync', ...args], env);
    expect(syncAfter.code).toBe(1);
    expect(syncAfter.stderr).toContain('cutover login');
  }, 180_000); // six CLI processes: generous on a shared 2-core machine

  it('refuses a target that is not the signed-in account, and a size limit above 150 MB', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const src = addUser(dovecot, 'msrc2');
    const stateDir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, user, stateDir);
    const base = ['sync', '--source', imapsUrl(src, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', stateDir];
    const other = await runCli([...base, '--target', 'm365:someone.else@contoso.test'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`signed in to Microsoft 365 as ${user}, not someone.else@contoso.test`);
    const big = await runCli([...base, '--target', `m365:${user}`, '--max-message-size', String(200 * 1024 * 1024)], env);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/cannot exceed 150 MB/);
    const bad = await runCli([...base, '--target', 'm365:not-an-address'], env);
    expect(bad.code).toBe(2);
  });

  it('signs in with the device code flow from the command line', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const stateDir = tempStateDir();
    const run = startCli(['login', '--device-code', '--state-dir', stateDir], env);
    let match: RegExpExecArray | null = null;
    for (let i = 0; i < 2400 && !match; i++) {
      match = /open (\S+) in a browser and enter the code (\S+?)\./.exec(run.output().stderr);
      if (!match) await new Promise((r) => setTimeout(r, 25));
    }
    expect(match, run.output().stderr).not.toBeNull();
    await new FakeBrowser(readFileSync(pki.caFile, 'utf8')).enterDeviceCode(match![1]!, match![2]!, user);
    const res = await run.done;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(user);
  });
});

describe('preflight against Microsoft 365', () => {
  it('passes a healthy account and lists oversized messages with the admin command', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const src = addUser(dovecot, 'pf');
    await seed(dovecot, src, ['Projects'], [
      { folder: 'INBOX', raw: simpleMessage(1) },
      { folder: 'Projects', raw: simpleMessage(2, { subject: 'Scanned contract', body: 'x'.repeat(40_000) }) },
    ]);
    const stateDir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, user, stateDir);
    const res = await runCli(['preflight', '--source', imapsUrl(src, dovecot.imapsPort), '--target', `m365:${user}`, '--ca', dovecot.caFile, '--state-dir', stateDir, '--max-message-size', '20000', '--json'], env);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    const levels = Object.fromEntries(report.findings.map((f: { id: string; level: string }) => [f.id, f.level]));
    expect(levels).toMatchObject({ 'source-reachable': 'ok', 'target-account': 'ok', 'target-license': 'ok', 'target-mailbox': 'ok', 'target-imap': 'ok', 'source-oversized': 'warning' });
    expect(report.source.oversized).toEqual([expect.objectContaining({ folder: 'Projects', subject: 'Scanned contract' })]);
    const advice = report.findings.find((f: { id: string }) => f.id === 'source-oversized');
    expect(advice.action).toContain(`Set-Mailbox -Identity ${user} -MaxReceiveSize 150MB`);
    const human = await runCli(['preflight', '--source', imapsUrl(src, dovecot.imapsPort), '--target', `m365:${user}`, '--ca', dovecot.caFile, '--state-dir', stateDir], env);
    expect(human.stdout).toContain('Nothing blocks the migration.');
  });

  it('accepts the mailbox by its primary address or an alias, and says so when the licences cannot be read', async () => {
    const src = addUser(dovecot, 'pf3');
    const user = addUser(dovecot, 'm365', { m365: true });
    // The sign-in name (UPN) differs from the mailbox's addresses, as it often does.
    graph.configureUser(user, { mail: 'anna.berg@contoso.test', proxyAddresses: ['SMTP:anna.berg@contoso.test', 'smtp:anna@old-name.test'], licenseDetails: 'forbidden' });
    const stateDir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, user, stateDir);
    const res = await runCli(['preflight', '--source', imapsUrl(src, dovecot.imapsPort), '--target', 'm365:ANNA@old-name.test', '--ca', dovecot.caFile, '--state-dir', stateDir, '--json'], env);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const levels = Object.fromEntries(JSON.parse(res.stdout).findings.map((f: { id: string; level: string }) => [f.id, f.level]));
    expect(levels).toMatchObject({ 'target-account': 'ok', 'target-license': 'warning', 'target-mailbox': 'ok', 'target-imap': 'ok' });
    // (undo is the lightest command that names the mailbox.)
    const undo = (target: string) => runCli(['contacts', 'undo', '--target', `m365:${target}`, '--state-dir', stateDir, '--json'], env);
    // Where the directory does not show the aliases, the primary address still works and an alias does not.
    graph.configureUser(user, { proxyAddresses: null });
    expect((await undo('anna.berg@contoso.test')).code).toBe(0);
    const alias = await undo('anna@old-name.test');
    expect(alias.code).toBe(1);
    expect(alias.stderr).toContain(`signed in to Microsoft 365 as ${user}, not anna@old-name.test`);
  });

  it('blocks an account without licence or mailbox, and a mailbox with IMAP disabled, saying what to do', async () => {
    const src = addUser(dovecot, 'pf2');
    const unlicensed = addUser(dovecot, 'm365', { m365: true });
    graph.configureUser(unlicensed, { servicePlans: ['TEAMS1'], mailbox: false });
    const noImap = addUser(dovecot, 'noimap', { imapDisabled: true });
    for (const [user, expected] of [
      [unlicensed, { 'target-license': 'blocking', 'target-mailbox': 'blocking' }],
      [noImap, { 'target-license': 'ok', 'target-imap': 'blocking' }],
    ] as const) {
      const stateDir = tempStateDir();
      await signInToStateDir(oidc, pki.caFile, user, stateDir);
      const res = await runCli(['preflight', '--source', imapsUrl(src, dovecot.imapsPort), '--target', `m365:${user}`, '--ca', dovecot.caFile, '--state-dir', stateDir, '--json'], env);
      expect(res.code).toBe(1);
      const findings = JSON.parse(res.stdout).findings as { id: string; level: string; action?: string }[];
      expect(Object.fromEntries(findings.map((f) => [f.id, f.level]))).toMatchObject(expected);
      if (user === noImap) expect(findings.find((f) => f.id === 'target-imap')?.action).toContain('Set-CASMailbox');
      else expect(findings.find((f) => f.id === 'target-license')?.action).toContain('Business Basic');
    }
  });
});
