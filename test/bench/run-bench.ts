import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, startDovecot, TEST_PASSWORD, type RunningDovecot } from '../harness/dovecot.js';
import { REPO_ROOT } from '../harness/run-cli.js';
import { seedCorpus } from './corpus.js';

/**
 * `npm run bench [-- --messages 10000,50000 --rounds 3 --connections N]`
 *
 * Seeds a deterministic corpus of mixed sizes (up to 30 MB) into a private Dovecot, then measures
 * mbsync (Debian isync) and the installed `cutover` command (package.json "bin", the file a user runs)
 * side by side in one run (the bin file itself is started, so its "bin" line's Node flags and
 * environment apply, as for a user who types `cutover`): each round copies into fresh target mailboxes, the order of the two tools
 * alternates between rounds, and the table shows the median of the rounds. Wall time is the whole
 * process; peak RSS comes from `/usr/bin/time -v` for both tools alike.
 */
const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const sizes = option('messages', '10000,50000').split(',').map(Number);
const rounds = Number(option('rounds', '3'));
const connections = Number(option('connections', '0'));
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('usage: npm run bench -- [--messages 10000,50000] [--rounds 3] [--connections N]\n');
  process.exit(2);
}

const bin = join(REPO_ROOT, (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: { cutover: string } }).bin.cutover);

interface Run {
  seconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
  rssMb: number | null;
}

/** Runs a command under /usr/bin/time -v; wall time measured here, peak RSS read from time's report. */
function timed(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { NODE_EXTRA_CA_CERTS: _notInherited, ...base } = process.env;
  const started = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-v', cmd, ...args], { cwd: REPO_ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ seconds, code, stdout, stderr, rssMb: m ? Number(m[1]) / 1024 : null });
    });
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function must(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
  return r;
}

interface Samples {
  mbsyncCopy: number[];
  mbsyncRss: number[];
  mbsyncNoop: number[];
  cutoverCopy: number[];
  cutoverRss: number[];
  cutoverNoop: number[];
  cutoverNoopEngine: number[];
  compare: number[];
  compareRss: number[];
}

async function benchSize(dovecot: RunningDovecot, count: number): Promise<string> {
  const src = addUser(dovecot, `bench-src-${count}`);
  process.stderr.write(`Seeding ${count} messages…\n`);
  const corpus = seedCorpus(dovecot, src, count);
  const url = (user: string): string => `imaps://${user}@127.0.0.1:${dovecot.imapsPort}`;
  const env = { CUTOVER_SOURCE_PASSWORD: TEST_PASSWORD, CUTOVER_TARGET_PASSWORD: TEST_PASSWORD };
  const connArgs = connections > 0 ? ['--connections', String(connections)] : [];
  const s: Samples = { mbsyncCopy: [], mbsyncRss: [], mbsyncNoop: [], cutoverCopy: [], cutoverRss: [], cutoverNoop: [], cutoverNoopEngine: [], compare: [], compareRss: [] };

  const mbsyncRound = async (): Promise<void> => {
    const dst = addUser(dovecot, 'bench-mbsync');
    const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-mbsync-'));
    const rc = join(dir, 'mbsyncrc');
    const account = (name: string, user: string): string =>
      `IMAPAccount ${name}\nHost localhost\nPort ${dovecot.imapsPort}\nUser ${user}\nPass "${TEST_PASSWORD}"\nSSLType IMAPS\nCertificateFile ${dovecot.caFile}\n\nIMAPStore ${name}-store\nAccount ${name}\n\n`;
    writeFileSync(rc, `${account('far', src)}${account('near', dst)}Channel bench\nFar :far-store:\nNear :near-store:\nPatterns *\nCreate Near\nSync Pull\nExpunge None\nSyncState ${dir}/\nCopyArrivalDate yes\n`, { mode: 0o600 });
    process.stderr.write('  mbsync…\n');
    const copy = must(await timed('mbsync', ['-c', rc, '-a']), 'mbsync');
    const noop = must(await timed('mbsync', ['-c', rc, '-a']), 'mbsync rerun');
    s.mbsyncCopy.push(copy.seconds);
    s.mbsyncRss.push(copy.rssMb ?? NaN);
    s.mbsyncNoop.push(noop.seconds);
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dovecot.homeRoot, dst), { recursive: true, force: true });
  };

  const cutoverRound = async (): Promise<void> => {
    const dst = addUser(dovecot, 'bench-cutover');
    const stateDir = mkdtempSync(join(tmpdir(), 'cutover-bench-state-'));
    const common = ['--source', url(src), '--target', url(dst), '--ca', dovecot.caFile, '--json'];
    process.stderr.write('  cutover…\n');
    const copy = must(await timed(bin, ['sync', ...common, '--state-dir', stateDir, ...connArgs], env), 'cutover sync');
    const copied = (JSON.parse(copy.stdout) as { copied: number }).copied;
    if (copied !== count) throw new Error(`cutover copied ${copied} of ${count} messages`);
    const noop = must(await timed(bin, ['sync', ...common, '--state-dir', stateDir, ...connArgs], env), 'cutover rerun');
    const compare = await timed(bin, ['compare', ...common, '--state-dir', stateDir], env);
    if (compare.code !== 0) throw new Error(`compare after the copy did not come out clean:\n${compare.stdout.slice(0, 2000)}${compare.stderr.slice(-2000)}`);
    s.cutoverCopy.push(copy.seconds);
    s.cutoverRss.push(copy.rssMb ?? NaN);
    s.cutoverNoop.push(noop.seconds);
    s.cutoverNoopEngine.push((JSON.parse(noop.stdout) as { elapsedMs: number }).elapsedMs / 1000);
    s.compare.push(compare.seconds);
    s.compareRss.push(compare.rssMb ?? NaN);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(join(dovecot.homeRoot, dst), { recursive: true, force: true });
  };

  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`Round ${round + 1} of ${rounds} (${round % 2 === 0 ? 'mbsync first' : 'Cutover first'})\n`);
    if (round % 2 === 0) {
      await mbsyncRound();
      await cutoverRound();
    } else {
      await cutoverRound();
      await mbsyncRound();
    }
  }
  rmSync(join(dovecot.homeRoot, src), { recursive: true, force: true });

  const sec = (v: number): string => `${v.toFixed(2)} s`;
  const mbOf = (v: number): string => `${v.toFixed(0)} MB`;
  const ratio = median(s.cutoverCopy) / median(s.mbsyncCopy);
  return [
    `### ${count.toLocaleString('en-US')} messages, ${(corpus.bytes / 1_048_576).toFixed(0)} MB (largest ${(corpus.largest / 1_048_576).toFixed(1)} MB), ${corpus.folders.length} folders — median of ${rounds}`,
    '',
    '| | mbsync | Cutover | goal |',
    '| --- | --- | --- | --- |',
    `| initial copy, wall | ${sec(median(s.mbsyncCopy))} | ${sec(median(s.cutoverCopy))} (ratio ${ratio.toFixed(2)}) | ≤ 0.74 × mbsync |`,
    `| peak RSS of the copy | ${mbOf(median(s.mbsyncRss))} | ${mbOf(median(s.cutoverRss))} | ≤ 150 MB |`,
    `| no-op rerun, whole process | ${sec(median(s.mbsyncNoop))} | ${sec(median(s.cutoverNoop))} (engine ${sec(median(s.cutoverNoopEngine))}) | ≤ 0.5 s (engine ≤ 0.25 s) |`,
    `| compare, whole process | – | ${sec(median(s.compare))} (peak RSS ${mbOf(median(s.compareRss))}) | ${count === 10_000 ? '≤ 3 s' : '(goal is for 10,000)'} |`,
    '',
    `Every round: ${s.cutoverCopy.map(sec).join(' / ')} Cutover, ${s.mbsyncCopy.map(sec).join(' / ')} mbsync.`,
  ].join('\n');
}

async function versionTime(): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(must(await timed(bin, ['--version']), 'cutover --version').seconds);
  return `\`cutover --version\`: ${median(times).toFixed(2)} s (median of 5; goal ≤ 0.3 s)`;
}

const dovecot = await startDovecot();
try {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; Dovecot → Dovecot over TLS on 127.0.0.1${connections ? `, ${connections} connections` : ''}`;
  const parts = [`Machine: ${machine}.`, '', await versionTime()];
  for (const n of sizes) parts.push('', await benchSize(dovecot, n));
  process.stdout.write(`${parts.join('\n')}\n`);
} finally {
  await dovecot.stop();
}
