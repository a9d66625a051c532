import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CutoverError, isCutoverError } from '../../shared/errors.js';
import { parseCli, USAGE } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { cliErrorText, exitCodeOf } from './error-hints.js';

export type { CliIo } from './cli-io.js';

export const VERSION = '0.1.0';

/**
 * The `cutover` command. Exit codes: 0 done, 1 something failed or is missing, 2 the command line
 * was wrong. Only parsing happens here; the engine is loaded when a command needs it, so
 * `cutover --version` and `cutover --help` start at once.
 */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let json = argv.includes('--json');
  try {
    const args = parseCli(argv);
    if (args.command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.command === 'version') {
      io.stdout.write(`cutover ${VERSION}\n`);
      return 0;
    }
    json = args.json;
    const { runCommand } = await import('./run-command.js');
    return await runCommand(args, io);
  } catch (err) {
    const error = isCutoverError(err) ? err.toData() : new CutoverError({ code: 'internal', message: (err as Error)?.message ?? String(err), retryable: false }).toData();
    if (json) io.stdout.write(`${JSON.stringify({ error })}\n`);
    const text = cliErrorText(error, { command: argv[0] ?? '' });
    io.stderr.write(`cutover: ${text}\n`);
    const code = exitCodeOf(error);
    // The parser's own messages already say where the usage is.
    if (code === 2 && !json && !text.includes('cutover --help')) io.stderr.write('Run "cutover --help" for usage.\n');
    return code;
  }
}

/** Whether this module is the program node was started with: `npm run cli` (through tsx) or the bundle, also through the symlink npm installs as `cutover`. */
function startedDirectly(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
}

if (startedDirectly()) {
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
