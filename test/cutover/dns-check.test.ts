import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDns } from '../../src/main/engine/cutover/check-dns.js';
import { parseDnsServer } from '../../src/main/engine/cutover/dns-server-address.js';
import { startNameServers, TestDnsServer, type TestZone } from '../harness/dns-server.js';

const DOMAIN = 'contoso.test';
const MICROSOFT = 'contoso-test.mail.protection.outlook.com';
const NAME_SERVERS = [
  { name: 'ns1.contoso.test', address: '127.0.0.2' },
  { name: 'ns2.contoso.test', address: '127.0.0.3' },
];

function zone(patch: Partial<TestZone> = {}): TestZone {
  return {
    domain: DOMAIN,
    mx: [{ host: 'mx.old-host.test', priority: 10 }],
    mxTtl: 86400,
    txt: ['v=spf1 include:spf.protection.outlook.com include:old-host.test -all', 'MS=ms12345678'],
    autodiscover: 'autodiscover.outlook.com',
    nameServers: NAME_SERVERS,
    ...patch,
  };
}

let system: TestDnsServer;
let cache: TestDnsServer;
let authoritative: TestDnsServer[];
let nameServerPort: number;

beforeAll(async () => {
  system = await TestDnsServer.start(zone());
  cache = await TestDnsServer.start(zone());
  ({ servers: authoritative, port: nameServerPort } = await startNameServers(zone(), 2));
});
afterAll(async () => Promise.all([system, cache, ...authoritative].map((s) => s.stop())));

function setAuthoritative(z: TestZone): void {
  for (const s of authoritative) s.zone = z;
}

function check(expectMx: string | null, extra: string[] = [cache.text]) {
  return checkDns({ domain: DOMAIN, expectMx, resolvers: extra.map(parseDnsServer), system: [parseDnsServer(system.text)], nameServerPort, readExpectedMx: null });
}

describe('cutover dns, against real DNS servers whose records change during the test', () => {
  it('follows a switch from old, through lowering the TTL and a mixed picture, to switched', async () => {
    setAuthoritative(zone());
    system.zone = zone();
    cache.zone = zone();
    const before = await check(MICROSOFT);
    expect(before.state).toBe('old');
    expect(before.resolvers.map((r) => [r.kind, r.server, r.name])).toEqual([
      ['system', system.text, null],
      ['authoritative', `127.0.0.2:${nameServerPort}`, 'ns1.contoso.test'],
      ['authoritative', `127.0.0.3:${nameServerPort}`, 'ns2.contoso.test'],
      ['given', cache.text, null],
    ]);
    expect(before.resolvers.every((r) => r.ttl === 86400 && r.mx[0]?.host === 'mx.old-host.test' && r.error === null)).toBe(true);
    const ttl = before.findings.find((f) => f.code === 'mx-ttl-long');
    expect(ttl).toMatchObject({ level: 'warning', facts: { ttl: 86400, lowerTo: 300 } });
    expect(Date.parse((ttl!.facts as { switchAfter: string }).switchAfter) - Date.parse(before.checkedAt)).toBe(86400_000);
    expect(before.findings.find((f) => f.code === 'mx-old')).toMatchObject({ facts: { current: ['mx.old-host.test'], expected: MICROSOFT } });
    expect(before.findings.filter((f) => f.level === 'ok').map((f) => f.code).sort()).toEqual(['autodiscover-ok', 'spf-ok']);
    expect(before.recordsFrom).toBe(`127.0.0.2:${nameServerPort}`);

    // The admin lowers the TTL: no more advice to wait a day.
    setAuthoritative(zone({ mxTtl: 300 }));
    const lowered = await check(MICROSOFT);
    expect(lowered.findings.map((f) => f.code)).not.toContain('mx-ttl-long');

    // The switch is published; the system resolver and the named cache still hold the old answer.
    setAuthoritative(zone({ mx: [{ host: MICROSOFT, priority: 0 }], mxTtl: 3600 }));
    system.zone = zone({ mxTtl: 240 });
    cache.zone = zone({ mxTtl: 120 });
    const mixed = await check(MICROSOFT);
    expect(mixed.state).toBe('mixed');
    expect([mixed.switched, mixed.answered]).toEqual([2, 4]);
    expect(mixed.resolvers.map((r) => r.switched)).toEqual([false, true, true, false]);
    expect(mixed.findings.find((f) => f.code === 'mx-mixed')).toMatchObject({ level: 'warning', facts: { switched: 2, of: 4, waitSeconds: 240 } });

    system.zone = zone({ mx: [{ host: MICROSOFT, priority: 0 }], mxTtl: 3500 });
    cache.zone = system.zone;
    const after = await check(MICROSOFT);
    expect(after.state).toBe('switched');
    expect(after.findings.find((f) => f.code === 'mx-switched')).toMatchObject({ level: 'ok', facts: { resolvers: 4 } });
    expect(after.resolvers.map((r) => r.ttl)).toEqual([3500, 3600, 3600, 3500]);
  });

  it('blocks on an old MX that still comes first, warns about a leftover backup MX', async () => {
    system.zone = zone({ mx: [{ host: MICROSOFT, priority: 0 }, { host: 'mx.old-host.test', priority: 0 }] });
    setAuthoritative(system.zone);
    const tie = await check(MICROSOFT, []);
    expect(tie.state).toBe('old');
    expect(tie.findings.find((f) => f.code === 'mx-leftover')).toEqual({ level: 'blocking', code: 'mx-leftover', facts: { hosts: ['mx.old-host.test'], preferred: true } });
    expect(tie.findings.find((f) => f.code === 'mx-old')).toMatchObject({ facts: { current: [MICROSOFT, 'mx.old-host.test'] } });

    system.zone = zone({ mx: [{ host: 'mx.old-host.test', priority: 10 }, { host: MICROSOFT, priority: 20 }] });
    setAuthoritative(system.zone);
    const behind = await check(MICROSOFT, []);
    expect(behind.state).toBe('old');
    expect(behind.findings.find((f) => f.code === 'mx-old')).toMatchObject({ facts: { current: ['mx.old-host.test'] } });

    system.zone = zone({ mx: [{ host: MICROSOFT, priority: 0 }, { host: 'backup.old-host.test', priority: 20 }] });
    setAuthoritative(system.zone);
    const backup = await check(MICROSOFT, []);
    expect(backup.state).toBe('switched');
    expect(backup.findings.find((f) => f.code === 'mx-leftover')).toEqual({ level: 'warning', code: 'mx-leftover', facts: { hosts: ['backup.old-host.test'], preferred: false } });
  });

  it('finds two SPF records, a missing Microsoft include and a missing autodiscover record', async () => {
    setAuthoritative(zone({ txt: ['v=spf1 include:old-host.test -all', 'v=spf1 include:spf.protection.outlook.com -all'], autodiscover: null }));
    const two = await check(MICROSOFT, []);
    expect(two.findings.find((f) => f.code === 'spf-multiple')).toMatchObject({ level: 'blocking', facts: { records: ['v=spf1 include:old-host.test -all', 'v=spf1 include:spf.protection.outlook.com -all'] } });
    expect(two.findings.find((f) => f.code === 'autodiscover-missing')).toMatchObject({ level: 'warning', facts: { name: 'autodiscover.contoso.test' } });

    setAuthoritative(zone({ txt: ['v=spf1 include:old-host.test ~all'], autodiscover: 'autodiscover.old-host.test' }));
    const old = await check(MICROSOFT, []);
    expect(old.findings.find((f) => f.code === 'spf-missing-microsoft')).toMatchObject({ facts: { record: 'v=spf1 include:old-host.test ~all' } });
    expect(old.findings.find((f) => f.code === 'autodiscover-elsewhere')).toMatchObject({ facts: { target: 'autodiscover.old-host.test' } });

    setAuthoritative(zone({ txt: [] }));
    expect((await check(MICROSOFT, [])).findings.map((f) => f.code)).toContain('spf-none');
  });

  it('without an expected MX, recognises Microsoft by host name and says it guessed; a dead resolver is reported, not counted', async () => {
    const mx = [{ host: 'contoso-test.r-v1.mx.microsoft', priority: 0 }];
    system.zone = zone({ mx });
    setAuthoritative(system.zone);
    const dead = createSocket('udp4');
    await new Promise<void>((resolve) => dead.bind(0, '127.0.0.1', resolve));
    const deadPort = dead.address().port;
    dead.close();
    const report = await check(null, [`127.0.0.1:${deadPort}`]);
    expect(report.state).toBe('switched');
    expect(report.expectedMx).toBeNull();
    expect(report.findings.find((f) => f.code === 'expected-mx-unknown')).toMatchObject({ level: 'warning', facts: { reason: 'not-signed-in' } });
    expect(report.findings.find((f) => f.code === 'resolver-failed')).toMatchObject({ facts: { server: `127.0.0.1:${deadPort}` } });
    expect([report.switched, report.answered]).toEqual([3, 3]);
  });
});
