import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCli } from '../../src/main/cli/cli-args.js';
import { tokenCacheFile } from '../../src/main/engine/auth/m365-settings.js';
import { tempStateDir } from '../harness/accounts.js';
import { startNameServers, TestDnsServer, type TestZone } from '../harness/dns-server.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addDomainRoutes } from '../harness/graph-standin-domains.js';
import { m365Env, signInToStateDir, tokensIn } from '../harness/m365.js';
import { runCli } from '../harness/run-cli.js';
import { ExchangeLikeSmtp } from '../harness/smtp-server.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');

const DOMAIN = 'fabrikam.test';
const MICROSOFT = 'fabrikam-test.k-v1.mx.microsoft';
const ADMIN = 'admin@fabrikam.test';
const CLERK = 'clerk@fabrikam.test';

function zone(patch: Partial<TestZone> = {}): TestZone {
  return {
    domain: DOMAIN,
    mx: [{ host: 'mail.old-host.test', priority: 10 }],
    mxTtl: 3600,
    txt: ['v=spf1 include:spf.protection.outlook.com -all'],
    autodiscover: 'autodiscover.outlook.com',
    nameServers: [{ name: 'ns1.fabrikam.test', address: '127.0.0.2' }],
    ...patch,
  };
}

let system: TestDnsServer;
let nameServers: TestDnsServer[];
let dnsEnv: Record<string, string>;
let graph: GraphStandin;
let smtp: ExchangeLikeSmtp;
let adminState: string;
let clerkState: string;
let env: Record<string, string>;

beforeAll(async () => {
  system = await TestDnsServer.start(zone());
  const ns = await startNameServers(zone(), 1);
  nameServers = ns.servers;
  dnsEnv = { CUTOVER_DNS_SERVERS: system.text, CUTOVER_DNS_PORT: String(ns.port) };
  graph = await GraphStandin.start(pki, oidc);
  addDomainRoutes(graph, { mx: new Map([[DOMAIN, MICROSOFT]]), domainRoles: new Set([ADMIN]) });
  smtp = await ExchangeLikeSmtp.start(pki, oidc);
  // The CLI host reads the DNS replacements and the test-only loopback SMTP switch from its environment.
  env = { ...m365Env(oidc, pki.caFile, graph.url, dovecot.imapsPort), ...dnsEnv, CUTOVER_TEST_SMTP_OAUTH_TO_LOOPBACK: '1' };
  [adminState, clerkState] = [tempStateDir(), tempStateDir()];
  await signInToStateDir(oidc, pki.caFile, ADMIN, adminState);
  await signInToStateDir(oidc, pki.caFile, CLERK, clerkState);
});
afterAll(async () => Promise.all([system.stop(), ...nameServers.map((s) => s.stop()), graph.stop(), smtp.stop()]));

describe('cutover dns and smtp-check on the command line', () => {
  it('dns: exact JSON, exit 1 until switched and 0 after; the expected MX comes from Microsoft 365 for an admin', async () => {
    system.zone = zone();
    nameServers[0]!.zone = zone();
    const before = await runCli(['dns', DOMAIN, '--state-dir', adminState, '--json'], env);
    expect(before.code, before.stderr).toBe(1);
    const json = JSON.parse(before.stdout);
    expect(Object.keys(json)).toEqual(['domain', 'resolvers', 'expectedMx', 'state', 'findings']);
    expect(json).toMatchObject({ domain: DOMAIN, expectedMx: MICROSOFT, state: 'old' });
    expect(json.resolvers).toEqual([
      { server: system.text, mx: [{ host: 'mail.old-host.test', priority: 10 }], ttl: 3600 },
      { server: nameServers[0]!.text, mx: [{ host: 'mail.old-host.test', priority: 10 }], ttl: 3600 },
    ]);
    for (const f of json.findings) expect(Object.keys(f)).toEqual(['level', 'code', 'text']);
    const old = json.findings.find((f: { code: string }) => f.code === 'mx-old');
    expect(old.text).toBe(`The MX record still points to mail.old-host.test. At your DNS host, set the MX record of ${DOMAIN} to ${MICROSOFT} with priority 0, and delete the other MX records.`);
    expect(graph.log.some((r) => r.path === `/v1.0/domains/${DOMAIN}/serviceConfigurationRecords` && r.user === ADMIN && r.status === 200)).toBe(true);

    nameServers[0]!.zone = zone({ mx: [{ host: MICROSOFT, priority: 0 }] });
    const mixed = await runCli(['dns', DOMAIN, '--state-dir', adminState], env);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain(`${DOMAIN}: MX switched on 1 of 2 DNS servers`);
    expect(mixed.stdout).toMatch(/^WARNING +1 of 2 DNS servers show the new MX; the others still answer with the old one for up to 1 h more/m);

    system.zone = nameServers[0]!.zone;
    const after = await runCli(['dns', DOMAIN, '--state-dir', adminState, '--json'], env);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ state: 'switched', findings: expect.arrayContaining([{ level: 'ok', code: 'mx-switched', text: `Mail for ${DOMAIN} goes to Microsoft 365: all 2 DNS servers asked show its MX first.` }]) });
  });

  it('dns: a user who may not read the domain gets a warning and can paste the MX; an unknown domain blocks', async () => {
    system.zone = zone();
    nameServers[0]!.zone = zone();
    const forbidden = JSON.parse((await runCli(['dns', DOMAIN, '--state-dir', clerkState, '--json'], env)).stdout);
    expect(forbidden.expectedMx).toBeNull();
    expect(forbidden.findings.find((f: { code: string }) => f.code === 'expected-mx-unknown')).toMatchObject({ level: 'warning' });
    expect(graph.log.some((r) => r.path.startsWith('/v1.0/domains/') && r.user === CLERK && r.status === 403)).toBe(true);

    const pasted = JSON.parse((await runCli(['dns', DOMAIN, '--state-dir', clerkState, '--expect-mx', MICROSOFT.toUpperCase(), '--json'], env)).stdout);
    expect(pasted.expectedMx).toBe(MICROSOFT);
    expect(pasted.findings.map((f: { code: string }) => f.code)).not.toContain('expected-mx-unknown');

    const unknown = JSON.parse((await runCli(['dns', 'other.test', '--state-dir', adminState, '--json'], env)).stdout);
    expect(unknown.findings.find((f: { code: string }) => f.code === 'domain-not-in-tenant')).toMatchObject({ level: 'blocking' });
  });

  it('smtp-check: OAuth succeeds with exit 0; a password refused with 550 5.7.30 exits 1; nothing is ever sent and no secret is printed', async () => {
    smtp.mailbox(ADMIN, { smtpAuthDisabled: false, basicAuth: false, password: 'printer-secret-123' });
    const args = ['smtp-check', '--user', ADMIN, '--host', '127.0.0.1', '--port', String(smtp.port), '--ca', pki.caFile, '--state-dir', adminState];
    const ok = await runCli([...args, '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const json = JSON.parse(ok.stdout);
    expect(Object.keys(json)).toEqual(['ok', 'stage', 'reply', 'advice']);
    expect(json).toMatchObject({ ok: true, stage: 'auth', reply: { code: 235, enhanced: null, text: 'Authentication successful' } });
    expect(json.advice[0].text).toBe(`Settings for devices and apps: server 127.0.0.1, port ${smtp.port}, STARTTLS (TLS 1.2 or newer), user name ${ADMIN}, sign-in with the Microsoft 365 account (OAuth).`);

    const basic = await runCli(args, { ...env, CUTOVER_SMTP_PASSWORD: 'printer-secret-123' });
    expect(basic.code).toBe(1);
    expect(basic.stdout).toContain('Server: 550 5.7.30 Basic authentication is not supported for Client Submission.');
    expect(basic.stdout).toContain('direct send (port 25 to the MX host of fabrikam.test');
    expect(smtp.mailFromAttempts).toBe(0);
    expect(smtp.commands).not.toContain('MAIL');
    expect(smtp.commands).not.toContain('DATA');
    const printed = [ok.stdout, ok.stderr, basic.stdout, basic.stderr].join('\n');
    expect(printed).not.toContain('printer-secret-123');
    for (const token of tokensIn(tokenCacheFile(adminState))) expect(printed).not.toContain(token);
  });

  it('smtp-check: 535 5.7.139 names the admin fix; without the CA the certificate is not trusted; the wrong account is refused', async () => {
    smtp.mailbox(ADMIN, { smtpAuthDisabled: 'mailbox' });
    const base = ['smtp-check', '--user', ADMIN, '--host', '127.0.0.1', '--port', String(smtp.port), '--state-dir', adminState];
    const disabled = await runCli([...base, '--ca', pki.caFile], env);
    expect(disabled.code).toBe(1);
    expect(disabled.stdout).toContain(`Set-CASMailbox -Identity ${ADMIN} -SmtpClientAuthenticationDisabled $false`);
    expect(disabled.stdout).toContain('Manage email apps > Authenticated SMTP');

    // With a password: an OAuth check gets its token (from the test's OpenID provider, under the same
    // test CA) before it connects, so only the SMTP server's certificate is left untrusted this way.
    const { NODE_EXTRA_CA_CERTS: _trusted, ...untrustedEnv } = env;
    const untrusted = JSON.parse((await runCli([...base, '--json'], { ...untrustedEnv, CUTOVER_SMTP_PASSWORD: 'printer-secret-123' })).stdout);
    expect(untrusted).toMatchObject({ ok: false, stage: 'starttls', reply: null, advice: [{ code: 'tls-untrusted' }] });

    const wrong = await runCli(['smtp-check', '--user', CLERK, '--host', '127.0.0.1', '--port', String(smtp.port), '--ca', pki.caFile, '--state-dir', adminState, '--json'], env);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).error).toMatchObject({ code: 'account-mismatch' });
  });

  it('refuses bad command lines with exit 2, naming what is wrong', async () => {
    const run = await runCli(['dns', DOMAIN, '--resolver', 'not-an-ip', '--state-dir', clerkState], dnsEnv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cutover: "not-an-ip" is not a DNS server address (an IP address, optionally with :PORT).');
    const refused: [string[], RegExp][] = [
      [['dns'], /Name one domain/],
      [['dns', DOMAIN, '--user', ADMIN], /--user belongs to smtp-check/],
      [['smtp-check'], /--user is required/],
      [['smtp-check', '--user', 'anna'], /full e-mail address/],
      [['smtp-check', '--user', ADMIN, '--port', '70000'], /--port must be between 1 and 65535/],
      [['smtp-check', '--user', ADMIN, '--host', 'smtp.example.com/evil'], /--host must be a server name/],
      [['smtp-check', '--user', ADMIN, '--resolver', '127.0.0.1'], /belong to dns/],
    ];
    for (const [args, message] of refused) expect(() => parseCli(args), args.join(' ')).toThrow(message);
    expect(parseCli(['dns', DOMAIN, '--resolver', '192.0.2.53', '--resolver', '[2001:db8::1]:5353'])).toMatchObject({ resolvers: ['192.0.2.53', '[2001:db8::1]:5353'], expectMx: null });
    expect(parseCli(['smtp-check', '--user', ADMIN])).toMatchObject({ host: 'smtp.office365.com', port: 587, caFile: null });
  });
});
