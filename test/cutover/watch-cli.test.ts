import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WatchEvent } from '../../src/shared/watch-types.js';
import { watchStatusOf } from '../../src/main/engine/watch/watch-status.js';
import { tempStateDir } from '../harness/accounts.js';
import { startNameServers, TestDnsServer, type TestZone } from '../harness/dns-server.js';
import { addUser, type DovecotInfo } from '../harness/dovecot.js';
import { digest, messageCount, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { imapsUrl, runCli, startCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');
const DOMAIN = 'keep-in-step.test';
const MICROSOFT = 'keep-in-step-test.mail.protection.outlook.com';

function zone(mx: string): TestZone {
  return {
    domain: DOMAIN,
    mx: [{ host: mx, priority: 10 }],
    mxTtl: 600,
    txt: ['v=spf1 include:spf.protection.outlook.com -all'],
    autodiscover: 'autodiscover.outlook.com',
    nameServers: [{ name: 'ns1.keep-in-step.test', address: '127.0.0.2' }],
  };
}

/** Delivers a message the way mail reaches the old server: Dovecot's own delivery tool, not IMAP. */
function deliver(info: DovecotInfo, user: string, folder: string, raw: string): void {
  execFileSync('doveadm', ['-c', join(info.dir, 'dovecot.conf'), 'save', '-u', user, '-m', folder], { input: raw });
}

/** Polls a real condition (never a fixed sleep) with a generous bound for a slow, shared machine. */
async function until<T>(what: string, probe: () => Promise<T | null | false> | T | null | false, boundMs = 90_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function events(stdout: string): WatchEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as WatchEvent);
}

let system: TestDnsServer;
let authoritative: TestDnsServer[];
let dnsEnv: Record<string, string>;

beforeAll(async () => {
  system = await TestDnsServer.start(zone('mx.old-host.test'));
  const ns = await startNameServers(zone('mx.old-host.test'), 1);
  authoritative = ns.servers;
  dnsEnv = { CUTOVER_DNS_SERVERS: system.text, CUTOVER_DNS_PORT: String(ns.port) };
});
afterAll(async () => Promise.all([system, ...authoritative].map((s) => s.stop())));

describe('cutover watch: keeping the new mailbox in step until the MX switch has settled', () => {
  it('copies what arrives, survives kill -9, refuses a second watch, lists late arrivals after the switch, stops on SIGTERM', async () => {
    const src = addUser(dovecot, 'watchsrc');
    const dst = addUser(dovecot, 'watchdst');
    await seed(dovecot, src, ['Work'], [1, 2, 3].map((n) => ({ folder: n === 3 ? 'Work' : 'INBOX', raw: simpleMessage(n) })));
    const stateDir = tempStateDir();
    const pair = ['--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort), '--ca', dovecot.caFile, '--state-dir', stateDir];
    const first = await runCli(['sync', ...pair, '--json']);
    expect(first.code, first.stderr).toBe(0);
    // Passes only once an hour: what arrives in INBOX must come through IDLE.
    const watchArgs = ['watch', ...pair, '--every', '1h', '--domain', DOMAIN, '--expect-mx', MICROSOFT, '--json'];

    // A watch runs; a message delivered to the old INBOX reaches the target.
    let watch = startCli(watchArgs, dnsEnv);
    await until('the first pass', () => events(watch.output().stdout).some((e) => e.type === 'checked'));
    const delivered = Date.now();
    deliver(dovecot, src, 'INBOX', simpleMessage(4));
    await until('message 4 on the target', async () => (await messageCount(dovecot, dst, 'INBOX')) === 3);
    // Only IDLE can have brought it (the next pass is an hour away); how fast is measured, not asserted.
    console.log(`watch: INBOX arrival on the target after ${Date.now() - delivered} ms`);
    await until('the copy reported', () => events(watch.output().stdout).some((e) => e.type === 'copied' && e.folder === 'INBOX' && e.count === 1 && !e.afterSwitch));

    // A second watch of the same pair is refused at once, naming the running one.
    const second = await runCli(watchArgs.filter((a) => a !== '--json'), dnsEnv);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^cutover: another copy of this mailbox pair is running \\(pid ${watch.child.pid}, since .+\\)\\.$`, 'm'));

    // Killed without warning; a message arrives while no watch runs; the MX moves meanwhile.
    watch.child.kill('SIGKILL');
    await watch.done;
    deliver(dovecot, src, 'Work', simpleMessage(5));
    system.zone = zone(MICROSOFT);
    for (const s of authoritative) s.zone = zone(MICROSOFT);

    watch = startCli(watchArgs, dnsEnv);
    await until('message 5 on the target', async () => (await messageCount(dovecot, dst, 'Work')) === 2);
    const seen = await until('the switch seen', () => events(watch.output().stdout).find((e) => e.type === 'switch-seen') ?? null);
    if (seen.type !== 'switch-seen') throw new Error('unreachable');
    // Max(2 × 600 s, 72 h) after the switch.
    expect(Date.parse(seen.sweepUntil) - Date.parse(seen.at)).toBe(72 * 3600_000);
    expect(seen.oldMxTtl).toBe(600);

    // After the switch, what still reaches the old server is copied and listed.
    deliver(dovecot, src, 'INBOX', simpleMessage(6, { subject: 'Sent to the old server too late' }));
    const late = await until('the late arrival', () => events(watch.output().stdout).find((e) => e.type === 'late-arrival') ?? null);
    expect(late).toMatchObject({ type: 'late-arrival', item: { folder: 'INBOX', subject: 'Sent to the old server too late', from: 'sender6@example.org' } });
    expect(await messageCount(dovecot, dst, 'INBOX')).toBe(4);

    watch.child.kill('SIGTERM');
    const stopped = await watch.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(events(stopped.stdout).at(-1)).toEqual({ type: 'stopped', reason: 'requested' });

    // Nothing twice, nothing missing.
    expect(digest(await snapshot(dovecot, dst))).toEqual(digest(await snapshot(dovecot, src)));
    const status = watchStatusOf(stateDir, { host: '127.0.0.1', port: dovecot.imapsPort, user: src }, { host: '127.0.0.1', port: dovecot.imapsPort, user: dst }, null);
    expect(status).toMatchObject({ state: 'stopped', copiedTotal: 3, lateArrivals: { count: 1 }, switchSeenAt: seen.at, sweepUntil: seen.sweepUntil });
    expect(status.lateArrivals.items).toEqual([{ folder: 'INBOX', subject: 'Sent to the old server too late', from: 'sender6@example.org', receivedAt: expect.any(String) }]);
    expect(status.safeToClose).toEqual({ ok: false, waitingFor: ['sweep-running', 'late-arrival-within-24h', 'compare-not-complete'] });
  }, 300_000);
});
