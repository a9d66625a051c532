import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WatchEvent } from '../../src/shared/watch-types.js';
import { watchStatusOf } from '../../src/main/engine/watch/watch-status.js';
import { StateStore } from '../../src/main/engine/state/state-store.js';
import { parseCli } from '../../src/main/cli/cli-args.js';
import { tempStateDir } from '../harness/accounts.js';
import { startNameServers, TestDnsServer, type TestZone } from '../harness/dns-server.js';
import { addUser } from '../harness/dovecot.js';
import { deliver, digest, messageCount, seed, simpleMessage, snapshot } from '../harness/mailbox.js';
import { imapsUrl, runCli, startCli } from '../harness/run-cli.js';
import { until } from '../harness/until.js';

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

    // The app sees the command line's watch as running elsewhere.
    const ends = [{ host: '127.0.0.1', port: dovecot.imapsPort, user: src }, { host: '127.0.0.1', port: dovecot.imapsPort, user: dst }] as const;
    const looking = StateStore.open(stateDir);
    expect(watchStatusOf(looking, ends[0], ends[1], null)).toMatchObject({ state: 'watching', jobId: null, elsewhere: { pid: watch.child.pid, purpose: 'watch' }, copiedTotal: 1 });

    looking.close();

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
    const store = StateStore.open(stateDir);
    const status = watchStatusOf(store, { host: '127.0.0.1', port: dovecot.imapsPort, user: src }, { host: '127.0.0.1', port: dovecot.imapsPort, user: dst }, null);
    expect(status).toMatchObject({ state: 'stopped', copiedTotal: 3, lateArrivals: { count: 1 }, switchSeenAt: seen.at, sweepUntil: seen.sweepUntil });
    expect(status.lateArrivals.items).toEqual([{ folder: 'INBOX', subject: 'Sent to the old server too late', from: 'sender6@example.org', receivedAt: expect.any(String) }]);
    expect(status.safeToClose).toEqual({ ok: false, waitingFor: ['sweep-running', 'late-arrival-within-24h', 'compare-not-complete'] });
    store.close();
  }, 300_000);

  it('reads its flags strictly: durations, a domain before its MX, nothing unknown', () => {
    const pair = ['--source', 'imaps://a@127.0.0.1:993', '--target', 'imaps://b@127.0.0.1:993'];
    expect(parseCli(['watch', ...pair])).toMatchObject({ command: 'watch', everySeconds: 300, domain: null, expectMx: null, resolvers: [] });
    expect(parseCli(['watch', ...pair, '--every', '30s', '--domain', DOMAIN, '--expect-mx', MICROSOFT, '--resolver', '127.0.0.1:5353'])).toMatchObject({ everySeconds: 30, domain: DOMAIN, expectMx: MICROSOFT, resolvers: ['127.0.0.1:5353'] });
    expect(parseCli(['watch', ...pair, '--every', '2h'])).toMatchObject({ everySeconds: 7200 });
    for (const [args, message] of [
      [['--every', '5'], /between 10s and 24h/],
      [['--every', 'soon'], /a duration like 30s, 5m or 1h/],
      [['--expect-mx', MICROSOFT], /go with --domain/],
      [['--domain', 'not a domain'], /--domain must be a domain name/],
      [['--repair'], /Unknown option/],
    ] as const) {
      expect(() => parseCli(['watch', ...pair, ...args])).toThrow(message);
    }
    expect(() => parseCli(['watch', '--target', 'imaps://b@127.0.0.1:993'])).toThrow(/--source is required/);
  });
});
