import type { ApiEvent } from '../../shared/app-api.js';
import { defaultStateDir } from '../state-dir.js';
import { login, logout, whoami } from './auth-commands.js';
import type { CliArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { cliEngine } from './cli-service.js';
import { dnsCommand, smtpCheckCommand } from './cutover-day-commands.js';
import { dedupeCommand } from './dedupe-command.js';
import { compareCommand, preflightCommand, syncCommand } from './mail-commands.js';
import { planCommand } from './pim-commands.js';
import { pimCopyCommand } from './pim-copy-command.js';
import { watchCommand } from './watch-command.js';

export type CommandArgs = Exclude<CliArgs, { command: 'help' } | { command: 'version' }>;

/**
 * Runs one parsed command through the engine service: the CLI is a host like the app, so every
 * command is a call (or a job) of the same service, and only the words and the exit code are its
 * own. Loaded by main.ts only once a command needs the engine. SIGINT/SIGTERM cancel the work in
 * hand; the handlers are removed afterwards, so a second Ctrl-C ends the process at once.
 */
export async function runCommand(args: CommandArgs, io: CliIo): Promise<number> {
  const stateDir = args.stateDir ?? defaultStateDir();
  // smtp-check reads its --ca itself and says so in its advice; every other --ca is checked up front.
  const caFile = 'caFile' in args ? args.caFile : null;
  // A permission asked for later (dns, smtp-check) is asked the way the person chose with --device-code.
  const engine = cliEngine(stateDir, caFile, io, 'deviceCode' in args && args.deviceCode ? 'device-code' : 'browser');
  const { service } = engine;
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const offThrottle = args.json
    ? () => undefined
    : service.onEvent((e: ApiEvent) => {
        if (e.type === 'm365-throttled') io.stderr.write(`Microsoft 365 is throttling us; waiting ${e.waitSeconds} s.\n`);
      });
  const signal = controller.signal;
  try {
    switch (args.command) {
      case 'login':
        return await login(args, service, io, signal);
      case 'whoami':
        return await whoami(service, args.json, io);
      case 'logout':
        return await logout(service, args.json, io);
      case 'contacts':
      case 'calendar':
        return args.action === 'plan' ? await planCommand(args, engine, io, signal) : await pimCopyCommand(args, engine, io, signal);
      case 'dns':
        return await dnsCommand(args, service, io);
      case 'smtp-check':
        return await smtpCheckCommand(args, service, io, signal);
      case 'dedupe':
        return await dedupeCommand(args, service, io);
      case 'sync':
        return await syncCommand(args, service, io, signal);
      case 'preflight':
        return await preflightCommand(args, service, io);
      case 'compare':
        return await compareCommand(args, service, io, signal);
      case 'watch':
        return await watchCommand(args, service, io, signal);
    }
  } finally {
    offThrottle();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The command is over: its one owner closes the state database (every write is committed already).
    service.close();
  }
}
