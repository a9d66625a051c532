import { parseArgs } from 'node:util';
import { CutoverError } from '../../shared/errors.js';
import { parseImapUrl, type ImapEndpoint } from '../../shared/imap-endpoint.js';

export interface SyncArgs {
  command: 'sync';
  source: ImapEndpoint;
  target: ImapEndpoint;
  stateDir: string | null;
  caFile: string | null;
  maxMessageSize: number | null;
  connections: number | null;
  json: boolean;
}

export interface CompareArgs {
  command: 'compare';
  source: ImapEndpoint;
  target: ImapEndpoint;
  caFile: string | null;
  json: boolean;
}

export type CliArgs = SyncArgs | CompareArgs | { command: 'help' } | { command: 'version' };

export const USAGE = `Usage:
  cutover sync    --source URL --target URL [--state-dir DIR] [--ca FILE]
                  [--max-message-size BYTES] [--connections N] [--json]
  cutover compare --source URL --target URL [--ca FILE] [--json]

URLs:
  imaps://USER@HOST:PORT          implicit TLS (port 993 by default)
  imap://USER@HOST:PORT           STARTTLS, required
  imap://USER@HOST:PORT?tls=none  no encryption, only for this computer (127.0.0.1)
  USER may be percent-encoded (me%40example.org).

Passwords come from CUTOVER_SOURCE_PASSWORD and CUTOVER_TARGET_PASSWORD, or are asked for
on a terminal; never from the command line.`;

function usage(message: string): never {
  throw new CutoverError({ code: 'usage', message, retryable: false });
}

const COMMON = {
  source: { type: 'string' },
  target: { type: 'string' },
  ca: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseCli(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'version' || command === '--version') return { command: 'version' };
  if (command === 'sync') {
    const { values } = parse(rest, {
      ...COMMON,
      'state-dir': { type: 'string' },
      'max-message-size': { type: 'string' },
      connections: { type: 'string' },
    });
    if (values.help) return { command: 'help' };
    return {
      command: 'sync',
      source: parseImapUrl(required(values.source, '--source'), 'source'),
      target: parseImapUrl(required(values.target, '--target'), 'target'),
      stateDir: values['state-dir'] ?? null,
      caFile: values.ca ?? null,
      maxMessageSize: values['max-message-size'] === undefined ? null : positiveInteger(values['max-message-size'], '--max-message-size', 1),
      connections: values.connections === undefined ? null : positiveInteger(values.connections, '--connections', 1, 16),
      json: values.json === true,
    };
  }
  if (command === 'compare') {
    const { values } = parse(rest, COMMON);
    if (values.help) return { command: 'help' };
    return {
      command: 'compare',
      source: parseImapUrl(required(values.source, '--source'), 'source'),
      target: parseImapUrl(required(values.target, '--target'), 'target'),
      caFile: values.ca ?? null,
      json: values.json === true,
    };
  }
  return usage(`Unknown command "${command}". Run "cutover --help" for the list of commands.`);
}

function parse<T extends Parameters<typeof parseArgs>[0] extends infer C ? C extends { options?: infer O } ? O : never : never>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (err) {
    const text = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    return usage(`${text}. Run "cutover --help" for usage.`);
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') usage(`${flag} is required. Run "cutover --help" for usage.`);
  return value;
}

function positiveInteger(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text)) usage(`${flag} must be a whole number, got "${text}".`);
  const n = Number(text);
  if (n < min || n > max) usage(`${flag} must be between ${min} and ${max}, got ${n}.`);
  return n;
}
