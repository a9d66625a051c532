import { createInterface } from 'node:readline/promises';
import { CutoverError } from '../../shared/errors.js';
import type { CutoverService } from '../engine/service/cutover-service.js';
import type { DedupeArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { sourceAccount, targetInput } from './mail-commands.js';
import { extraCopiesText } from './render-compare.js';

/**
 * `cutover dedupe`: shows the extra copies Cutover made, then removes them after a confirmation:
 * a terminal is asked; a script says --yes; --dry-run only shows. Exit 0 when nothing is left to
 * remove (or only shown), 1 when copies stay that could not be removed.
 */
export async function dedupeCommand(args: DedupeArgs, service: CutoverService, io: CliIo): Promise<number> {
  if (!args.dryRun && !args.yes && !(process.stdin.isTTY && io.stderr.isTTY)) {
    throw new CutoverError({ code: 'usage', message: 'dedupe removes messages: confirm with --yes, or look first with --dry-run.', retryable: false });
  }
  const source = await sourceAccount(args.source);
  const target = await targetInput(args.target);
  const plan = await service.previewExtraCopies(source, target);
  if (!args.json) io.stdout.write(`${extraCopiesText(plan)}\n`);
  if (args.dryRun || plan.remove === 0) {
    if (args.json) io.stdout.write(`${JSON.stringify({ dryRun: args.dryRun, plan, removed: 0 })}\n`);
    return 0;
  }
  const where = target.kind === 'm365' ? target.user : `${target.account.user}@${target.account.host}`;
  if (!args.yes && !(await confirm(`Remove these ${plan.remove} copies from ${where}? [y/N] `, io))) {
    io.stderr.write('Nothing was removed.\n');
    if (args.json) io.stdout.write(`${JSON.stringify({ dryRun: false, plan, removed: 0 })}\n`);
    return 0;
  }
  // Exactly what the preview listed, and nothing else.
  const confirmed = plan.folders.map((f) => ({ source: f.source, target: f.target, uidValidity: f.uidValidity, uids: f.uids }));
  const result = await service.removeExtraCopies(source, target, confirmed);
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
