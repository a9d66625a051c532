import { describe, expect, it } from 'vitest';
import { dnsSetup, parseDnsServer } from '../../src/main/engine/cutover/dns-server-address.js';
import { dnsFromEnvironment } from '../../src/main/host-environment.js';
import { judgeDns } from '../../src/main/engine/cutover/dns-verdict.js';
import { adviceForAuthReply, parseReply, tlsProblem, type AuthContext } from '../../src/main/engine/cutover/smtp-advice.js';

const oauth = { user: 'anna@contoso.com', host: 'smtp.office365.com', port: 587, method: 'oauth' as const };
const password = { ...oauth, method: 'password' as const };

describe('SMTP replies become advice', () => {
  it('parses single and multi-line replies with and without enhanced codes', () => {
    expect(parseReply('535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [X.prod.outlook.com]')).toEqual({ code: 535, enhanced: '5.7.139', text: 'Authentication unsuccessful, basic authentication is disabled. [X.prod.outlook.com]' });
    expect(parseReply('235 Authentication successful')).toEqual({ code: 235, enhanced: null, text: 'Authentication successful' });
    expect(parseReply('530-5.7.57 Client not authenticated\r\n530 5.7.57 to send mail')).toEqual({ code: 530, enhanced: '5.7.57', text: 'Client not authenticated to send mail' });
    for (const junk of ['', 'hello', '99 short', false, null, undefined] as const) expect(parseReply(junk)).toBeNull();
  });

  it('knows every Exchange Online text of microsoft365.md §8', () => {
    const codes = (raw: string, c: AuthContext = password) => adviceForAuthReply(parseReply(raw), c).map((a) => a.code);
    expect(codes('535 5.7.139 Authentication unsuccessful, basic authentication is disabled.')).toEqual(['basic-auth-off', 'device-alternatives']);
    expect(codes('535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.')).toEqual(['check-password']);
    expect(codes('535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.', oauth)).toEqual(['check-token']);
    expect(codes('535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.')).toEqual(['policy-blocked', 'device-alternatives']);
    expect(codes('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.')).toEqual(['enable-smtp-auth', 'device-alternatives']);
    expect(codes('550 5.7.30 Basic authentication is not supported for Client Submission.')).toEqual(['basic-auth-off', 'device-alternatives']);
    expect(codes('530 5.7.57 Client not authenticated to send mail.')).toEqual(['not-authenticated']);
    expect(codes('535 5.7.3 Authentication unsuccessful', oauth)).toEqual(['check-token']);
    expect(codes('454 4.7.0 Temporary authentication failure')).toEqual(['unexpected-reply']);
  });

  it('tells an old TLS version from an untrusted certificate', () => {
    expect(tlsProblem('Error initiating TLS - 80:error:0A000102:SSL routines::unsupported protocol')).toBe('too-old');
    expect(tlsProblem('Error initiating TLS - tlsv1 alert protocol version')).toBe('too-old');
    expect(tlsProblem('Error initiating TLS - self-signed certificate in certificate chain')).toBe('untrusted');
    expect(tlsProblem("Error initiating TLS - Hostname/IP does not match certificate's altnames")).toBe('untrusted');
    expect(tlsProblem('socket hang up')).toBeNull();
  });
});

describe('DNS answers become a verdict', () => {
  const base = { domain: 'contoso.com', expected: 'contoso-com.mail.protection.outlook.com', expectedProblem: null, nameServersFound: true, spf: null, autodiscover: undefined, now: new Date('2026-11-30T09:00:00Z') };
  const view = (mx: { host: string; priority: number }[], extra: Partial<{ error: 'timeout'; ttl: number; kind: 'system' | 'authoritative' }> = {}) => ({ server: '192.0.2.53', kind: extra.kind ?? ('system' as const), name: null, mx, ttl: extra.ttl ?? 300, error: extra.error ?? null });

  it('blocks when no server answers, and when a server has no MX at all', () => {
    expect(judgeDns({ ...base, views: [view([], { error: 'timeout' })] })).toMatchObject({ state: 'old', answered: 0, findings: [{ code: 'resolver-failed' }, { level: 'blocking', code: 'no-resolver-answered', facts: { asked: 1 } }] });
    const none = judgeDns({ ...base, views: [view([])] });
    expect(none.findings.map((f) => [f.level, f.code])).toEqual([['warning', 'mx-old'], ['blocking', 'mx-none']]);
  });

  it('uses the authoritative TTL, not what is left of it in a cache, for the "lower it first" advice', () => {
    const old = [{ host: 'mx.old.example', priority: 10 }];
    const verdict = judgeDns({ ...base, views: [view(old, { ttl: 5000 }), view(old, { ttl: 86400, kind: 'authoritative' })] });
    expect(verdict.findings.find((f) => f.code === 'mx-ttl-long')).toEqual({ level: 'warning', code: 'mx-ttl-long', facts: { ttl: 86400, lowerTo: 300, switchAfter: '2026-12-01T09:00:00.000Z' } });
    expect(judgeDns({ ...base, views: [view(old, { ttl: 3600, kind: 'authoritative' })] }).findings.map((f) => f.code)).not.toContain('mx-ttl-long');
  });
});

describe('DNS server addresses', () => {
  it('accepts IPv4, IPv6 and ports; refuses names and junk by name', () => {
    expect(parseDnsServer('192.0.2.1')).toEqual({ host: '192.0.2.1', port: 53, text: '192.0.2.1' });
    expect(parseDnsServer('127.0.0.1:5353').text).toBe('127.0.0.1:5353');
    expect(parseDnsServer('[2001:db8::1]:5353')).toEqual({ host: '2001:db8::1', port: 5353, text: '[2001:db8::1]:5353' });
    expect(parseDnsServer('2001:db8::1').text).toBe('2001:db8::1');
    for (const bad of ['dns.google', '1.2.3.4:0', '1.2.3.4:99999', '999.1.1.1', '']) expect(() => parseDnsServer(bad)).toThrow(/is not a DNS server address/);
    const override = dnsFromEnvironment({ CUTOVER_DNS_SERVERS: '127.0.0.1:5300,127.0.0.1:5301', CUTOVER_DNS_PORT: '5302' });
    expect(dnsSetup(override)).toEqual({ system: [parseDnsServer('127.0.0.1:5300'), parseDnsServer('127.0.0.1:5301')], nameServerPort: 5302 });
    expect(dnsSetup({}).nameServerPort).toBe(53);
    expect(() => dnsFromEnvironment({ CUTOVER_DNS_PORT: 'x' })).toThrow(/CUTOVER_DNS_PORT/);
    expect(() => dnsSetup(dnsFromEnvironment({ CUTOVER_DNS_SERVERS: 'dns.google' }))).toThrow(/is not a DNS server address/);
    expect(() => dnsSetup({ nameServerPort: 70000 })).toThrow(/not a port number/);
    // The engine itself never reads the environment.
    const saved = process.env.CUTOVER_DNS_SERVERS;
    process.env.CUTOVER_DNS_SERVERS = '127.0.0.1:5399';
    try {
      expect(dnsSetup({}).system.map((s) => s.text)).not.toContain('127.0.0.1:5399');
    } finally {
      if (saved === undefined) delete process.env.CUTOVER_DNS_SERVERS;
      else process.env.CUTOVER_DNS_SERVERS = saved;
    }
  });
});
