import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, startDovecot, TEST_PASSWORD } from '../harness/dovecot.js';
import { REPO_ROOT } from '../harness/run-cli.js';
import { seedCorpus } from './corpus.js';

/**
 * `npm run bench [-- --messages N --connections N --no-mbsync]`: seeds a deterministic corpus into a private
 * Dovecot, then measures Cutover's initial sync, no-op rerun and compare (messages/s, MB/s, peak
 * RSS) and mbsync (Debian isync) on the same corpus, and prints a Markdown table.
 */
const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const count = option('messages', 5000);
const connections = option('connections', 0);
const withMbsync = !argv.includes('--no-mbsync');

interface Run {
  seconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
  rssMb: number | null;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = process.hrtime.bigint();
  const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const m = /BENCH_MAX_RSS_KB=(\d+)/.exec(stderr);
      resolve({ seconds, code, stdout, stderr, rssMb: m ? Number(m[1]) / 1024 : null });
    });
  });
}

const dovecot = await startDovecot();
try {
  await benchmark();
} finally {
  await dovecot.stop();
}

async function benchmark(): Promise<void> {
  const src = addUser(dovecot, 'bench-src');
  const dstCutover = addUser(dovecot, 'bench-dst');
  const dstMbsync = addUser(dovecot, 'bench-mbsync');
  process.stderr.write(`Seeding ${count} messages…\n`);
  const corpus = seedCorpus(dovecot, src, count);
  const mb = corpus.bytes / 1_048_576;
  const env = { CUTOVER_SOURCE_PASSWORD: TEST_PASSWORD, CUTOVER_TARGET_PASSWORD: TEST_PASSWORD };
  const url = (user: string): string => `imaps://${user}@127.0.0.1:${dovecot.imapsPort}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'cutover-bench-state-'));
  const cutover = (args: string[]): Promise<Run> =>
    run(process.execPath, ['--import', 'tsx', 'test/bench/measured-cli.ts', ...args, '--source', url(src), '--target', url(dstCutover), '--ca', dovecot.caFile, '--json'], env);
  const connArgs = connections > 0 ? ['--connections', String(connections)] : [];

  // Warm the server's caches (index files) the same way for both tools: one read of every message.
  await cutover(['compare']);

  const initial = await cutover(['sync', '--state-dir', stateDir, ...connArgs]);
  if (initial.code !== 0) throw new Error(`initial sync failed: ${initial.stderr}`);
  const copied = JSON.parse(initial.stdout) as { copied: number; elapsedMs: number };
  const noop = await cutover(['sync', '--state-dir', stateDir, ...connArgs]);
  const noopJson = JSON.parse(noop.stdout) as { copied: number; elapsedMs: number };
  const compare = await cutover(['compare']);
  const compareJson = JSON.parse(compare.stdout) as { missingTotal: number };

  if (!withMbsync) {
    process.stdout.write(`connections=${connections || 'default'}: initial ${initial.seconds.toFixed(2)} s (engine ${(copied.elapsedMs / 1000).toFixed(2)} s), ${(mb / initial.seconds).toFixed(1)} MB/s, peak RSS ${initial.rssMb?.toFixed(0)} MB\n`);
    return;
  }
  const mbsyncDir = mkdtempSync(join(tmpdir(), 'cutover-bench-mbsync-'));
  const rc = join(mbsyncDir, 'mbsyncrc');
  const account = (name: string, user: string): string =>
    `IMAPAccount ${name}\nHost localhost\nPort ${dovecot.imapsPort}\nUser ${user}\nPass "${TEST_PASSWORD}"\nSSLType IMAPS\nCertificateFile ${dovecot.caFile}\n\nIMAPStore ${name}-store\nAccount ${name}\n\n`;
  writeFileSync(
    rc,
    account('far', src) +
      account('near', dstMbsync) +
      `Channel bench\nFar :far-store:\nNear :near-store:\nPatterns *\nCreate Near\nSync Pull\nExpunge None\nSyncState ${mbsyncDir}/\nCopyArrivalDate yes\n`,
    { mode: 0o600 },
  );
  const mbsync = await run('/usr/bin/time', ['-f', 'BENCH_MAX_RSS_KB=%M', 'mbsync', '-c', rc, '-a']);
  const mbsyncNoop = await run('/usr/bin/time', ['-f', 'BENCH_MAX_RSS_KB=%M', 'mbsync', '-c', rc, '-a']);

  const row = (name: string, r: Run, engineMs: number | null): string =>
    `| ${name} | ${r.seconds.toFixed(2)} s${engineMs !== null ? ` (engine ${(engineMs / 1000).toFixed(2)} s)` : ''} | ${Math.round(count / r.seconds)} | ${(mb / r.seconds).toFixed(1)} | ${r.rssMb?.toFixed(0) ?? '?'} MB |`;
  const lines = [
    `Corpus: ${count} messages, ${mb.toFixed(0)} MB, ${corpus.folders.length} folders; Dovecot → Dovecot over TLS on 127.0.0.1; ${connections || 'default'} connections.`,
    '',
    '| run | wall time | messages/s | MB/s | peak RSS |',
    '| --- | --- | --- | --- | --- |',
    row(`Cutover initial sync (${copied.copied} copied)`, initial, copied.elapsedMs),
    row(`Cutover no-op rerun (${noopJson.copied} copied)`, noop, noopJson.elapsedMs),
    row(`Cutover compare (${compareJson.missingTotal} missing)`, compare, null),
    row(`mbsync initial${mbsync.code === 0 ? '' : ` (exit ${mbsync.code})`}`, mbsync, null),
    row('mbsync no-op rerun', mbsyncNoop, null),
    '',
    `Cutover initial sync vs mbsync: ${(mbsync.seconds / initial.seconds).toFixed(2)}× mbsync's speed.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (mbsync.code !== 0) process.stderr.write(mbsync.stderr.slice(-2000));
}
