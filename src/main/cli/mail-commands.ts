import type { ApiEvent, MailAccountInput, TargetInput } from '../../shared/app-api.js';
import type { CompareReport } from '../../shared/compare-types.js';
import { CutoverError, type CutoverErrorData } from '../../shared/errors.js';
import { describeEndpoint, type ImapEndpoint } from '../../shared/imap-endpoint.js';
import type { SyncSummary } from '../../shared/sync-types.js';
import type { CutoverService } from '../engine/service/cutover-service.js';
import type { CompareArgs, PreflightArgs, SyncArgs, TargetArg } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { passwordFor } from './password-prompt.js';
import { compareText } from './render-compare.js';
import { preflightText, progressRenderer, syncSummaryText } from './render-progress.js';

/** The old mailbox with its password, asked once up front (environment or prompt). */
export async function sourceAccount(endpoint: ImapEndpoint): Promise<MailAccountInput> {
  return { ...endpoint, password: await passwordFor('source', describeEndpoint(endpoint)) };
}

/** The new mailbox: an IMAP account with its password, or Microsoft 365 through the stored sign-in. */
export async function targetInput(target: TargetArg): Promise<TargetInput> {
  if (target.kind === 'm365') return { kind: 'm365', user: target.user };
  return { kind: 'imap', account: { ...target.endpoint, password: await passwordFor('target', describeEndpoint(target.endpoint)) } };
}

/**
 * `cutover sync`: starts the service's copy job, draws its events as progress (not with --json) and
 * waits for its end. Ctrl-C cancels the job, which stops between messages and reports what it did
 * (exit 1, "cancelled"); a second Ctrl-C ends the process at once (Node's default).
 */
export async function syncCommand(args: SyncArgs, service: CutoverService, io: CliIo, signal: AbortSignal): Promise<number> {
  const source = await sourceAccount(args.source);
  const target = await targetInput(args.target);
  const render = args.json ? null : progressRenderer(io.stderr);
  let jobId: string | null = null;
  let settle: (end: { summary: SyncSummary | null; error: CutoverErrorData | null }) => void = () => undefined;
  const ended = new Promise<{ summary: SyncSummary | null; error: CutoverErrorData | null }>((resolve) => (settle = resolve));
  // This process runs one copy, so every copy event is this job's, even one sent before startSync answers.
  const off = service.onEvent((e: ApiEvent) => {
    if (e.type === 'sync' && (jobId === null || e.jobId === jobId)) render?.(e.event);
    else if (e.type === 'sync-finished' && (jobId === null || e.jobId === jobId)) settle(e);
  });
  const cancel = (): void => void (jobId !== null && service.cancelJob(jobId));
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const job = await service.startSync(source, target, {
      ...(args.rules ? { exclude: args.rules.exclude, rename: args.rules.rename } : {}),
      repair: args.repair,
      connections: args.connections,
      markReceiptsSent: args.mdnSent,
      maxMessageSize: args.maxMessageSize,
    });
    jobId = job.id;
    if (signal.aborted) cancel();
    const { summary, error } = await ended;
    if (error) throw new CutoverError(error);
    if (!summary) throw new CutoverError({ code: 'internal', message: 'The copy ended without a summary.', retryable: false });
    io.stdout.write(args.json ? `${JSON.stringify(syncJson(summary))}\n` : `${syncSummaryText(summary)}\n`);
    return summary.failed.length === 0 && summary.folderErrors.length === 0 && !summary.cancelled ? 0 : 1;
  } finally {
    signal.removeEventListener('abort', cancel);
    off();
  }
}

/** `cutover compare`: exit 0 only when nothing is missing and nothing is duplicated. */
export async function compareCommand(args: CompareArgs, service: CutoverService, io: CliIo, signal: AbortSignal): Promise<number> {
  const source = await sourceAccount(args.source);
  const target = await targetInput(args.target);
  const report = await service.compare(source, target, args.rules, { signal });
  if (args.json) io.stdout.write(`${JSON.stringify(compareJson(report))}\n`);
  else io.stdout.write(`${compareText(report)}${report.savedTo ? `\nThe comparison is saved as ${report.savedTo.html} (printable) and ${report.savedTo.csv}.` : ''}\n`);
  return report.complete ? 0 : 1;
}

/** `cutover preflight`: exit 1 when anything blocks. */
export async function preflightCommand(args: PreflightArgs, service: CutoverService, io: CliIo): Promise<number> {
  const source = await sourceAccount(args.source);
  const target = await targetInput(args.target);
  const report = await service.preflight(source, target, { maxMessageSize: args.maxMessageSize });
  io.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${preflightText(report, target.kind === 'm365')}\n`);
  return report.findings.some((f) => f.level === 'blocking') ? 1 : 0;
}

/** The documented JSON, exactly (README "Command line"). */
function syncJson(s: SyncSummary): Record<string, unknown> {
  return {
    copied: s.copied,
    alreadyPresent: s.alreadyPresent,
    flagsUpdated: s.flagsUpdated,
    skipped: s.skipped,
    failed: s.failed,
    folders: s.folders.map((f) => ({ ...f })),
    folderErrors: s.folderErrors,
    cancelled: s.cancelled,
    elapsedMs: s.elapsedMs,
  };
}

function compareJson(r: CompareReport): Record<string, unknown> {
  return { folders: r.folders, missingTotal: r.missingTotal, duplicateTotal: r.duplicateTotal, complete: r.complete };
}
