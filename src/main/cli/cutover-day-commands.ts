import type { ApiEvent } from '../../shared/app-api.js';
import type { DnsReport, SmtpCheckResult } from '../../shared/cutover-day-types.js';
import type { CutoverService } from '../engine/service/cutover-service.js';
import type { DnsArgs, SmtpCheckArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { dnsFindingText, localTime, seconds, smtpAdviceText } from './cutover-day-words.js';

const LEVEL = { ok: 'OK      ', warning: 'WARNING ', blocking: 'BLOCKING' } as const;

/**
 * A permission still missing (Domain.Read.All for the expected MX, SMTP.Send for the check) is asked
 * for on the terminal: the service says why, then the code to type (--device-code) or the browser
 * page, whose address the CLI's browser opener prints.
 */
function showConsentRounds(service: CutoverService, io: CliIo): () => void {
  return service.onEvent((e: ApiEvent) => {
    if (e.type === 'm365-sign-in') io.stderr.write(`${e.message}\n`);
  });
}

/** `cutover dns DOMAIN`: exit 0 only when every DNS server that answered shows Microsoft's MX first. */
export async function dnsCommand(args: DnsArgs, service: CutoverService, io: CliIo): Promise<number> {
  const off = showConsentRounds(service, io);
  const report = await service.checkDns(args.domain, { expectMx: args.expectMx, resolvers: args.resolvers }).finally(off);
  io.stdout.write(args.json ? `${JSON.stringify(dnsJson(report))}\n` : `${dnsText(report)}\n`);
  return report.state === 'switched' ? 0 : 1;
}

/** `cutover smtp-check --user ADDRESS`: exit 0 only when AUTH succeeded. */
export async function smtpCheckCommand(args: SmtpCheckArgs, service: CutoverService, io: CliIo, signal: AbortSignal): Promise<number> {
  const password = process.env.CUTOVER_SMTP_PASSWORD;
  const off = showConsentRounds(service, io);
  const result = await service
    .checkSmtp({ user: args.user, host: args.host, port: args.port, auth: password ? { kind: 'password', password } : { kind: 'oauth' } }, { signal })
    .finally(off);
  io.stdout.write(args.json ? `${JSON.stringify(smtpJson(result))}\n` : `${smtpText(result, args)}\n`);
  return result.ok ? 0 : 1;
}

/** The documented JSON, exactly: {"domain","resolvers":[{"server","mx":[{"host","priority"}],"ttl"}],"expectedMx","state","findings":[{"level","code","text"}]}. */
export function dnsJson(r: DnsReport): Record<string, unknown> {
  return {
    domain: r.domain,
    resolvers: r.resolvers.map((v) => ({ server: v.server, mx: v.mx.map((m) => ({ host: m.host, priority: m.priority })), ttl: v.ttl })),
    expectedMx: r.expectedMx,
    state: r.state,
    findings: r.findings.map((f) => ({ level: f.level, code: f.code, text: dnsFindingText(f, r.domain) })),
  };
}

function dnsText(r: DnsReport): string {
  const headline = { old: 'not switched yet', mixed: `switched on ${r.switched} of ${r.answered} DNS servers`, switched: `switched on all ${r.answered} DNS servers` }[r.state];
  const lines = [`${r.domain}: MX ${headline} (checked ${localTime(r.checkedAt)}; expected ${r.expectedMx ?? "Microsoft 365's MX, recognised by name"}).`];
  for (const v of r.resolvers) {
    const who = `${v.kind === 'authoritative' ? v.name : v.kind === 'system' ? 'this computer' : 'named'} ${v.server}`;
    const what = v.error ? '(no answer)' : v.mx.length ? v.mx.map((m) => `${m.host} (${m.priority})`).join(', ') : '(no MX record)';
    lines.push(`  ${who.padEnd(34)} ${what}${v.ttl !== null ? `  TTL ${seconds(v.ttl)}` : ''}${v.switched ? '  switched' : ''}`);
  }
  lines.push('');
  for (const f of r.findings) lines.push(`${LEVEL[f.level]} ${dnsFindingText(f, r.domain)}`);
  return lines.join('\n');
}

/** {"ok","stage","reply":{"code","enhanced","text"},"advice":[{"code","text"}]} */
export function smtpJson(r: SmtpCheckResult): Record<string, unknown> {
  return { ok: r.ok, stage: r.stage, reply: r.reply, advice: r.advice.map((a) => ({ code: a.code, text: smtpAdviceText(a) })) };
}

function smtpText(r: SmtpCheckResult, args: SmtpCheckArgs): string {
  const how = r.method === 'oauth' ? 'OAuth (XOAUTH2)' : 'password';
  const lines = [
    r.ok
      ? `${args.user} may send through ${args.host}:${args.port} with SMTP AUTH (${how}). Nothing was sent.`
      : `${args.user} cannot send through ${args.host}:${args.port} with SMTP AUTH (${how}): stopped at ${r.stage === 'auth' ? 'the sign-in (AUTH)' : r.stage === 'starttls' ? 'encryption (STARTTLS)' : 'the connection'}. Nothing was sent.`,
  ];
  if (r.reply) lines.push(`Server: ${r.reply.code}${r.reply.enhanced ? ` ${r.reply.enhanced}` : ''} ${r.reply.text}`);
  for (const a of r.advice) lines.push(`- ${smtpAdviceText(a)}`);
  return lines.join('\n');
}
