import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenCacheFile } from '../../src/main/engine/auth/m365-settings.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { checklistIds } from '../../src/main/engine/cutover/device-checklist.js';
import { CutoverService } from '../../src/main/engine/service/cutover-service.js';
import { dispatch } from '../../src/main/rpc/dispatch.js';
import type { ChecklistSection, DnsReport, SmtpCheckResult } from '../../src/shared/cutover-day-types.js';
import { tempStateDir } from '../harness/accounts.js';
import { startNameServers, TestDnsServer, type TestZone } from '../harness/dns-server.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addDomainRoutes } from '../harness/graph-standin-domains.js';
import { answerSignInPages } from '../harness/sign-in-pages.js';
import { signInToStateDir } from '../harness/m365.js';
import type { ApiEvent } from '../../src/shared/app-api.js';
import { ExchangeLikeSmtp } from '../harness/smtp-server.js';

const oidc = inject('oidc');
const pki = inject('pki');
const USER = 'owner@northwind.test';
/** Holds a directory role that may read domains, but signs in through an app without admin consent. */
const ROLE_HOLDER = 'it-admin@northwind.test';
const zone: TestZone = {
  domain: 'northwind.test',
  mx: [{ host: 'northwind-test.mail.protection.outlook.com', priority: 0 }],
  mxTtl: 3600,
  txt: ['v=spf1 include:spf.protection.outlook.com -all'],
  autodiscover: 'autodiscover.outlook.com',
  nameServers: [{ name: 'ns1.northwind.test', address: '127.0.0.2' }],
};

let dns: TestDnsServer;
let ns: { servers: TestDnsServer[]; port: number };
let smtp: ExchangeLikeSmtp;
let service: CutoverService;
let stateDir: string;
let graph: GraphStandin;

beforeAll(async () => {
  dns = await TestDnsServer.start(zone);
  ns = await startNameServers(zone, 1);
  smtp = await ExchangeLikeSmtp.start(pki, oidc);
  graph = await GraphStandin.start(pki, oidc);
  addDomainRoutes(graph, { mx: new Map([['northwind.test', 'northwind-test.mail.protection.outlook.com']]), domainRoles: new Set([USER, ROLE_HOLDER]) });
  stateDir = tempStateDir();
  await signInToStateDir(oidc, pki.caFile, USER, stateDir);
  service = new CutoverService({ stateDir, host: 'web', caFile: pki.caFile, secretStore: new FileSecretStore(tokenCacheFile(stateDir)), m365: { authority: oidc.issuer, graphUrl: graph.url }, dns: { servers: [dns.text], nameServerPort: ns.port }, smtpOAuthToLoopbackForTests: true });
});
afterAll(async () => {
  await Promise.all([dns.stop(), ...ns.servers.map((s) => s.stop()), smtp.stop(), graph.stop()]);
});

describe('the cutover day through the engine service, as the app calls it', () => {
  it('checks DNS through the API boundary and refuses malformed arguments by name', async () => {
    const result = await dispatch(service, 'checkDns', ['northwind.test', { expectMx: null, resolvers: [] }]);
    expect(result.ok).toBe(true);
    const report = (result as { value: DnsReport }).value;
    expect(report).toMatchObject({ domain: 'northwind.test', state: 'switched', answered: 2, switched: 2, recordsFrom: `127.0.0.2:${ns.port}` });
    expect(report).toMatchObject({ expectedMx: 'northwind-test.mail.protection.outlook.com', expectedMxSource: 'microsoft-365' });
    expect(await dispatch(service, 'checkDns', ['northwind.test', { expectMx: null, resolvers: ['127.0.0.1; rm -rf /'] }])).toMatchObject({ ok: false, error: { code: 'usage', message: expect.stringMatching(/At 1\.resolvers\.0: a DNS server is an IP address/) } });
    expect(await dispatch(service, 'checkDns', ['north wind', { expectMx: null, resolvers: [] }])).toMatchObject({ ok: false, error: { code: 'usage', message: expect.stringMatching(/At 0:/) } });
  });

  it('reads the expected MX with a token for Domain.Read.All alone, which the sign-in never asked for', async () => {
    const logStart = graph.log.length;
    const events: ApiEvent[] = [];
    const stop = service.onEvent((e) => events.push(e));
    try {
      expect(await service.checkDns('northwind.test', { expectMx: null, resolvers: [] })).toMatchObject({ expectedMx: 'northwind-test.mail.protection.outlook.com', expectedMxSource: 'microsoft-365' });
      // Given an MX, nothing is asked of Microsoft 365 at all.
      const graphCalls = graph.log.length;
      await service.checkDns('northwind.test', { expectMx: 'northwind-test.mail.protection.outlook.com', resolvers: [] });
      expect(graph.log.length).toBe(graphCalls);
    } finally {
      stop();
    }
    // The admin consented for the organisation: no consent page was needed.
    expect(events.filter((e) => e.type === 'm365-sign-in')).toEqual([]);
    expect(graph.log.slice(logStart).filter((r) => r.path.startsWith('/v1.0/domains/')).map((r) => r.status)).toEqual([200]);
  });

  it('asks for Domain.Read.All alone where it was never granted; refused (admins only), the check warns and goes on', async () => {
    const dir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, ROLE_HOLDER, dir, oidc.userConsentClientId);
    const own = new CutoverService({ stateDir: dir, host: 'web', secretStore: new FileSecretStore(tokenCacheFile(dir)), m365: { authority: oidc.issuer, graphUrl: graph.url }, dns: { servers: [dns.text], nameServerPort: ns.port } });
    const { pages, failed, stop } = answerSignInPages(own, ROLE_HOLDER, pki.caFile);
    const logStart = graph.log.length;
    let report: DnsReport;
    try {
      report = await Promise.race([own.checkDns('northwind.test', { expectMx: null, resolvers: [] }), failed]);
    } finally {
      stop();
    }
    expect(pages).toHaveLength(1);
    expect(pages[0]!.message).toMatch(/Domain\.Read\.All, which only an administrator may grant/);
    expect(new URL(pages[0]!.url).searchParams.get('scope')!.split(' ').filter((s) => !['openid', 'profile', 'offline_access'].includes(s))).toEqual(['Domain.Read.All']);
    expect(report).toMatchObject({ expectedMx: null, expectedMxSource: null, state: 'switched' });
    expect(report.findings).toContainEqual({ level: 'warning', code: 'expected-mx-unknown', facts: { reason: 'no-consent' } });
    expect(graph.log.slice(logStart).filter((r) => r.path.startsWith('/v1.0/domains/'))).toEqual([]);
  });

  it('checks SMTP AUTH with the stored sign-in or a password, and never logs the password', async () => {
    smtp.mailbox(USER, { smtpAuthDisabled: false, basicAuth: true, password: 'copier-pass-9876' });
    const oauth = await dispatch(service, 'checkSmtp', [{ user: USER, host: '127.0.0.1', port: smtp.port, auth: { kind: 'oauth' } }]);
    expect((oauth as { value: SmtpCheckResult }).value).toMatchObject({ ok: true, method: 'oauth', reply: { code: 235 } });
    const password = await dispatch(service, 'checkSmtp', [{ user: USER, host: '127.0.0.1', port: smtp.port, auth: { kind: 'password', password: 'copier-pass-9876' } }]);
    expect((password as { value: SmtpCheckResult }).value).toMatchObject({ ok: true, method: 'password', advice: expect.arrayContaining([{ code: 'basic-auth-retiring', facts: {} }]) });
    expect(smtp.mailFromAttempts).toBe(0);
    const logDir = join(stateDir, 'logs');
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
    expect(logs).toContain('smtp-checked');
    expect(logs).not.toContain('copier-pass-9876');
    expect(await dispatch(service, 'checkSmtp', [{ user: 'not-an-address', host: '127.0.0.1', port: 25, auth: { kind: 'oauth' } }])).toMatchObject({ ok: false, error: { code: 'usage' } });
  });

  it('serves the Outlook and phones checklist with stable, unique ids, and the wizard remembers ticks', async () => {
    const sections = ((await dispatch(service, 'deviceChecklist', [USER])) as { value: ChecklistSection[] }).value;
    const ids = sections.flatMap((s) => s.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(checklistIds());
    expect(ids).toEqual(expect.arrayContaining(['new-outlook.add', 'classic-outlook.add', 'classic-outlook.remove-old', 'outlook-mobile.add', 'ios-mail.remove-old', 'android-mail.remove-old']));
    expect(sections.find((s) => s.id === 'new-outlook')!.items[0]!.title).toBe(`Add ${USER}`);
    expect(JSON.stringify(sections)).not.toMatch(/--|cutover (dns|smtp-check|login)/);

    const state = await service.getWizardState();
    expect(state.checklistDone).toEqual([]);
    await service.saveWizardState({ ...state, step: 'finish', checklistDone: ['new-outlook.add', 'ios-mail.add'] });
    expect((await service.getWizardState()).checklistDone).toEqual(['new-outlook.add', 'ios-mail.add']);
    // A wizard.json written before the checklist existed still loads.
    writeFileSync(join(stateDir, 'wizard.json'), JSON.stringify({ step: 'compare', email: USER }));
    expect(await service.getWizardState()).toMatchObject({ step: 'compare', checklistDone: [] });
  });
});
