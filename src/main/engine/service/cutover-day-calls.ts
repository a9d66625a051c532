import type { ChecklistSection, DnsCheckOptions, DnsReport, SmtpCheckOptions, SmtpCheckResult } from '../../../shared/cutover-day-types.js';
import { dnsCheck, smtpCheck } from '../cutover/cutover-day.js';
import { deviceChecklist } from '../cutover/device-checklist.js';
import type { ServiceContext } from './service-context.js';

/** The cutover day's checks as the service offers them; loaded only when one is asked for. */
export async function checkDns(ctx: ServiceContext, domain: string, options: DnsCheckOptions): Promise<DnsReport> {
  const { consentRound } = await import('./m365-calls.js');
  const report = await dnsCheck(domain, options, await stored(ctx), { consent: consentRound(ctx), ...(ctx.options.dns ? { dns: ctx.options.dns } : {}) });
  ctx.log.write('dns-checked', { domain: report.domain, state: report.state, switched: report.switched, answered: report.answered, findings: report.findings.map((f) => f.code) });
  return report;
}

export async function checkSmtp(ctx: ServiceContext, options: SmtpCheckOptions, signal?: AbortSignal): Promise<SmtpCheckResult> {
  if (options.auth.kind === 'password') ctx.log.secret(options.auth.password);
  const extra = {
    ...(ctx.options.caFile ? { caFile: ctx.options.caFile } : {}),
    ...(signal ? { signal } : {}),
    ...(ctx.options.smtpOAuthToLoopbackForTests ? { oauthToLoopbackForTests: true } : {}),
  };
  // A password check needs no sign-in (and so no Microsoft 365 libraries).
  const result =
    options.auth.kind === 'password' ? await smtpCheck(options, null, extra) : await smtpCheck(options, await stored(ctx), { ...extra, consent: (await import('./m365-calls.js')).consentRound(ctx) });
  ctx.log.write('smtp-checked', { user: options.user, host: `${options.host}:${options.port}`, method: result.method, ok: result.ok, stage: result.stage, reply: result.reply ? `${result.reply.code} ${result.reply.enhanced ?? ''}`.trim() : null });
  return result;
}

export async function checklist(address: string | null): Promise<ChecklistSection[]> {
  return deviceChecklist(address);
}

/** The stored sign-in; Microsoft 365's libraries are loaded only here, when a check may use them. */
async function stored(ctx: ServiceContext) {
  return (await import('./m365-calls.js')).storedM365(ctx);
}
