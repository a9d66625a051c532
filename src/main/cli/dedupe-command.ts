import { createInterface } from 'node:readline/promises';
import { CutoverError } from '../../shared/errors.js';
import type { ImapAccount } from '../engine/imap/imap-account.js';
import { planExtraCopies, removeExtraCopies, type ExtraCopiesRequest } from '../engine/sync/extra-copies.js';
import type { DedupeArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { extraCopiesText } from './render-compare.js';

/**
 * `cutover dedupe`: shows the extra copies Cutover made, then removes them after a confirmation:
 * a terminal is asked; a script says --yes; --dry-run only shows. Exit 0 when nothing is left to
 * remove (or only shown), 1 when copies stay that could not be removed.
 */
export async function dedupeCommand(args: DedupeArgs, request: ExtraCopiesRequest, io: CliIo): Promise<number> {
  if (!args.dryRun && !args.yes && !(process.stdin.isTTY && io.stderr.isTTY)) {
    throw new CutoverError({ code: 'usage', message: 'dedupe removes messages: confirm with --yes, or look first with --dry-run.', retryable: false });
  }
  const plan = await planExtraCopies(request);
  if (!args.json) io.stdout.write(`${extraCopiesText(plan)}\n`);
  if (args.dryRun || plan.remove === 0) {
    if (args.json) io.stdout.write(`${JSON.stringify({ dryRun: args.dryRun, plan, removed: 0 })}\n`);
    return 0;
  }
  if (!args.yes && !(await confirm(`Remove these ${plan.remove} copies from ${describe(request.target)}? [y/N] `, io))) {
    io.stderr.write('Nothing was removed.\n');
    if (args.json) io.stdout.write(`${JSON.stringify({ dryRun: false, plan, removed: 0 })}\n`);
    return 0;
  }
  const result = await removeExtraCopies(request, plan.folders);
  if (args.json) io.stdout.write(`${JSON.stringify({ dryRun: false, plan, removed: result.removed, folders: result.folders })}\n`);
  else io.stdout.write(`Removed ${result.removed} extra copies.\n`);
  return result.removed === plan.remove ? 0 : 1;
}

async function confirm(question: string, io: CliIo): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: io.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function describe(account: ImapAccount): string {
  return `${account.endpoint.user}@${account.endpoint.host}`;
}
