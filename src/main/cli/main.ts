import { pathToFileURL } from 'node:url';
import { CutoverError, isCutoverError } from '../../shared/errors.js';
import type { CompareReport } from '../../shared/compare-types.js';
import type { SyncSummary } from '../../shared/sync-types.js';
import { compareMailboxes } from '../engine/compare/compare-mailboxes.js';
import { EXCHANGE, exchangeSpecialFolderNames, mdnSentFlag } from '../engine/m365/exchange-target.js';
import { runPreflight } from '../engine/preflight/run-preflight.js';
import { DEFAULT_CONNECTIONS, runSync } from '../engine/sync/run-sync.js';
import { login, logout, whoami } from './auth-commands.js';
import { dnsCommand, smtpCheckCommand } from './cutover-day-commands.js';
import { planCommand } from './pim-commands.js';
import { pimCopyCommand } from './pim-copy-command.js';
import { defaultStateDir } from '../state-dir.js';
import { parseCli, USAGE } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { cliHint } from './error-hints.js';
import { dedupeCommand } from './dedupe-command.js';
import { compareText } from './render-compare.js';
import { preflightText, progressRenderer, syncSummaryText } from './render-progress.js';
import { effectiveMaxSize, passwordAccount, resolveTarget } from './resolve-target.js';
import { testCrashHook } from './test-crash-hook.js';
import { watchCommand } from './watch-command.js';


/** Exit codes: 0 done, 1 something failed or is missing, 2 the command line was wrong. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let json = argv.includes('--json');
  try {
    const args = parseCli(argv);
    if (args.command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.command === 'version') {
      io.stdout.write('cutover 0.1.0\n');
      return 0;
    }
    json = args.json;
    const stateDir = args.stateDir ?? defaultStateDir();
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      if (args.command === 'login') return await login(args, stateDir, io, controller.signal);
      if (args.command === 'whoami') return await whoami(stateDir, json, io);
      if (args.command === 'logout') return await logout(stateDir, json, io);
      if (args.command === 'contacts' || args.command === 'calendar') {
        if (args.action === 'plan') return await planCommand(args, io, controller.signal);
        return await pimCopyCommand(args, stateDir, io, controller.signal);
      }
      if (args.command === 'dns') return await dnsCommand(args, stateDir, io, controller.signal);
      if (args.command === 'smtp-check') return await smtpCheckCommand(args, stateDir, io, controller.signal);
      const source = await passwordAccount(args.source, 'source', args.caFile);
      const say = json ? undefined : (s: number) => io.stderr.write(`Microsoft 365 is throttling us; waiting ${s} s.\n`);
      const target = await resolveTarget(args.target, stateDir, args.caFile, say);
      const exchange = target.exchange;
      const exchangeNames = exchange
        ? { matchMode: 'reencoding' as const, reservedTargetNames: [...EXCHANGE.reservedFolderNames], targetSpecialNames: await exchangeSpecialFolderNames(exchange.graph) }
        : {};
      if (args.command === 'dedupe') return await dedupeCommand(args, { source, target: target.account, stateDir, ...exchangeNames }, io);
      if (args.command === 'watch') {
        const sync = {
          maxMessageSize: effectiveMaxSize(args.maxMessageSize, exchange !== null),
          ...(exchange ? { connections: EXCHANGE.maxConnections, storeFlaggedAfterAppend: true, extraFlags: mdnSentFlag } : {}),
          ...exchangeNames,
        };
        return await watchCommand(args, { source, target: target.account, stateDir, sync, compareExtras: exchangeNames }, io, controller.signal);
      }
      if (args.command === 'sync') {
        const crash = testCrashHook();
        const summary = await runSync({
          source,
          target: target.account,
          stateDir,
          verifyTarget: args.repair,
          ...(args.rules ? { rules: args.rules } : {}),
          ...(crash ? { crash } : {}),
          maxMessageSize: effectiveMaxSize(args.maxMessageSize, exchange !== null),
          connections: exchange ? Math.min(args.connections ?? EXCHANGE.maxConnections, EXCHANGE.maxConnections) : (args.connections ?? DEFAULT_CONNECTIONS),
          ...exchangeNames,
          ...(exchange ? { storeFlaggedAfterAppend: true, ...(args.mdnSent ? { extraFlags: mdnSentFlag } : {}) } : {}),
          signal: controller.signal,
          ...(json ? {} : { onEvent: progressRenderer(io.stderr) }),
        });
        io.stdout.write(json ? `${JSON.stringify(syncJson(summary))}\n` : `${syncSummaryText(summary)}\n`);
        return summary.failed.length === 0 && summary.folderErrors.length === 0 && !summary.cancelled ? 0 : 1;
      }
      if (args.command === 'preflight') {
        const report = await runPreflight({
          source,
          target: target.account,
          maxMessageSize: effectiveMaxSize(args.maxMessageSize, exchange !== null),
          ...(exchange ? { graph: exchange.graph, m365User: exchange.user } : {}),
        });
        io.stdout.write(json ? `${JSON.stringify(report)}\n` : `${preflightText(report)}\n`);
        return report.findings.some((f) => f.level === 'blocking') ? 1 : 0;
      }
      const report = await compareMailboxes({
        source,
        target: target.account,
        stateDir,
        signal: controller.signal,
        ...(args.rules ? { rules: args.rules } : {}),
        ...exchangeNames,
      });
      io.stdout.write(json ? `${JSON.stringify(compareJson(report))}\n` : `${compareText(report)}\n`);
      return report.complete ? 0 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } catch (err) {
    const error = isCutoverError(err) ? err : new CutoverError({ code: 'internal', message: (err as Error)?.message ?? String(err), retryable: false });
    if (json) io.stdout.write(`${JSON.stringify({ error: error.toData() })}\n`);
    const hint = cliHint(error.code);
    io.stderr.write(`cutover: ${cliMessage(error)}${hint ? ` ${hint}` : ''}\n`);
    if (error.code === 'usage') {
      if (!json) io.stderr.write('Run "cutover --help" for usage.\n');
      return 2;
    }
    return 1;
  }
}

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

/** The engine's facts in this host's words. */
function cliMessage(error: CutoverError): string {
  const facts = error.facts ?? {};
  if (error.code === 'pair-busy' && facts.lost === true) return 'another process took over this mailbox pair, so this run stopped; nothing was copied twice.';
  if (error.code === 'pair-busy' && typeof facts.pid === 'number' && typeof facts.since === 'string') {
    return `another copy of this mailbox pair is running (pid ${facts.pid}, since ${new Date(facts.since).toLocaleString()}).`;
  }
  return error.message;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`cutover: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
