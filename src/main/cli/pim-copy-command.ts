import { CutoverError } from '../../shared/errors.js';
import type { PimArgs } from './cli-args.js';
import type { CliIo } from './main.js';

export async function pimCopyCommand(args: PimArgs, _stateDir: string, _io: CliIo, _signal: AbortSignal): Promise<number> {
  throw new CutoverError({ code: 'usage', message: `"cutover ${args.command} ${args.action}" is not available in this version yet.`, retryable: false });
}
