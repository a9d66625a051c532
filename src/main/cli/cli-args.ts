import { parseArgs } from 'node:util';
import { EXCHANGE_SMTP } from '../../shared/cutover-day-types.js';
import { CutoverError } from '../../shared/errors.js';
import type { MappingRules } from '../../shared/folder-mapping.js';
import { parseImapUrl, type ImapEndpoint } from '../../shared/imap-endpoint.js';
import { parseM365Target } from '../engine/m365/exchange-target.js';
import { loadCaFile } from '../engine/net/ca-file.js';

/** A target is an IMAP URL or a Microsoft 365 mailbox reached with the stored sign-in. */
export type TargetArg = { kind: 'imap'; endpoint: ImapEndpoint } | { kind: 'm365'; user: string };

export interface SyncArgs {
  command: 'sync';
  source: ImapEndpoint;
  target: TargetArg;
  stateDir: string | null;
  caFile: string | null;
  maxMessageSize: number | null;
  connections: number | null;
  mdnSent: boolean;
  /** Also copy again what was copied before but is no longer on the target. */
  repair: boolean;
  /** --exclude/--map; null when neither was given (then the pair's saved rules apply). */
  rules: MappingRules | null;
  json: boolean;
}

export interface CompareArgs {
  command: 'compare';
  source: ImapEndpoint;
  target: TargetArg;
  stateDir: string | null;
  caFile: string | null;
  rules: MappingRules | null;
  json: boolean;
}

export interface DedupeArgs {
  command: 'dedupe';
  source: ImapEndpoint;
  target: TargetArg;
  stateDir: string | null;
  caFile: string | null;
  /** Only show what would be removed. */
  dryRun: boolean;
  /** Confirmed in advance (scripts); without it a terminal is asked. */
  yes: boolean;
  json: boolean;
}

export interface PreflightArgs {
  command: 'preflight';
  source: ImapEndpoint;
  target: TargetArg;
  stateDir: string | null;
  caFile: string | null;
  maxMessageSize: number | null;
  json: boolean;
}

export interface LoginArgs {
  command: 'login';
  deviceCode: boolean;
  tenant: string | null;
  clientId: string | null;
  stateDir: string | null;
  json: boolean;
}

export type PimArgs = PimArgsFor<'contacts'> | PimArgsFor<'calendar'>;

export interface PimArgsFor<C extends 'contacts' | 'calendar'> {
  command: C;
  action: 'plan' | 'copy' | 'undo';
  files: string[];
  /** CardDAV/CalDAV collection or server URL to read from instead of files. */
  davUrl: string | null;
  davUser: string | null;
  target: TargetArg | null;
  /** Contacts folder or calendar to copy into. */
  folder: string | null;
  /** Folders of an Outlook data file (.pst/.ost) to read, by name or path; empty: Outlook's own contacts/calendar folders. */
  foldersInPst: string[];
  timeZone: string | null;
  stateDir: string | null;
  caFile: string | null;
  json: boolean;
}

/** Cutover day: where the domain's mail goes (MX, SPF, autodiscover), as DNS servers see it now. */
export interface DnsArgs {
  command: 'dns';
  domain: string;
  expectMx: string | null;
  resolvers: string[];
  /** A permission still missing (Domain.Read.All) is asked for with a device code instead of the browser. */
  deviceCode: boolean;
  stateDir: string | null;
  json: boolean;
}

/** Cutover day: can this mailbox send with SMTP AUTH (never sends a message). */
export interface SmtpCheckArgs {
  command: 'smtp-check';
  user: string;
  host: string;
  port: number;
  caFile: string | null;
  /** A permission still missing (SMTP.Send) is asked for with a device code instead of the browser. */
  deviceCode: boolean;
  stateDir: string | null;
  json: boolean;
}

/** Keep in step: copy what reaches the old mailbox until stopped (issue 14). */
export interface WatchArgs {
  command: 'watch';
  source: ImapEndpoint;
  target: TargetArg;
  stateDir: string | null;
  caFile: string | null;
  /** Seconds between passes over every folder. */
  everySeconds: number;
  /** The domain whose MX switch ends the wait and starts the late-arrival sweep (with expectMx / resolvers as for dns). */
  domain: string | null;
  expectMx: string | null;
  resolvers: string[];
  maxMessageSize: number | null;
  json: boolean;
}

export type CliArgs =
  | WatchArgs
  | DnsArgs
  | SmtpCheckArgs
  | PimArgs
  | SyncArgs
  | CompareArgs
  | DedupeArgs
  | PreflightArgs
  | LoginArgs
  | { command: 'whoami'; stateDir: string | null; json: boolean }
  | { command: 'logout'; stateDir: string | null; json: boolean }
  | { command: 'help' }
  | { command: 'version' };

export const USAGE = `Usage:
  cutover sync    --source URL --target URL [--state-dir DIR] [--ca FILE]
                  [--max-message-size BYTES] [--connections N] [--json]
                  [--no-mdn-sent] [--repair] [--exclude FOLDER]... [--map SOURCE=TARGET]...
  cutover watch   --source URL --target URL [--every 5m] [--domain D [--expect-mx HOST]
                  [--resolver IP[:PORT]]...] [--max-message-size BYTES] [--json]
  cutover compare   --source URL --target URL [--ca FILE] [--json]
                    [--exclude FOLDER]... [--map SOURCE=TARGET]...
  cutover dedupe    --source URL --target URL [--dry-run | --yes] [--json]
  cutover preflight --source URL --target URL [--max-message-size BYTES] [--json]
  cutover login     [--device-code] [--tenant T] [--client-id ID]
  cutover whoami
  cutover logout
  cutover contacts plan FILE... [--folder-in-pst NAME]... [--json]
  cutover contacts copy (FILE...|--carddav URL [--dav-user U]) --target m365:USER [--folder NAME]
                        [--folder-in-pst NAME]...
  cutover contacts undo --target m365:USER
  cutover calendar plan FILE... [--time-zone IANA] [--folder-in-pst NAME]... [--json]
  cutover calendar copy (FILE...|--caldav URL [--dav-user U]) --target m365:USER [--calendar NAME]
                        [--time-zone IANA] [--folder-in-pst NAME]...
  (FILE: .vcf or .csv for contacts, .ics for calendars, or Outlook's data file .pst/.ost for both;
   "plan" lists a data file's contacts and calendar folders)
  cutover calendar undo --target m365:USER
  cutover dns DOMAIN [--expect-mx HOST] [--resolver IP[:PORT]]... [--device-code] [--json]
  cutover smtp-check --user ADDRESS [--host H] [--port P] [--ca FILE] [--device-code] [--json]
  (every command also takes --state-dir DIR)

URLs:
  imaps://USER@HOST:PORT          implicit TLS (port 993 by default)
  imap://USER@HOST:PORT           STARTTLS, required
  imap://USER@HOST:PORT?tls=none  no encryption, only for this computer (127.0.0.1)
  USER may be percent-encoded (me%40example.org).
  m365:USER@DOMAIN                Microsoft 365 / Exchange Online, after "cutover login"

Folders: --exclude and --map name source folders as the old server shows them, with "/" between
levels (--exclude "Archive/2019", --map "Café=Kaffee"); both repeat, and are saved with the pair:
later runs and compare use them until new ones are given.

watch keeps the new mailbox in step after the first copy: it copies what reaches the old mailbox
(at once for INBOX, every --every for all folders: 30s, 5m, 1h) and prints one line per event until
Ctrl-C. With --domain it checks the MX record and, once it points to Microsoft 365, lists every
message that still reaches the old server; it says when the old mailbox is safe to close.

dedupe removes only copies Cutover itself appended beyond the old mailbox's count. It shows them
first and asks on a terminal; scripts confirm with --yes, --dry-run only shows.

Passwords come from CUTOVER_SOURCE_PASSWORD and CUTOVER_TARGET_PASSWORD (CUTOVER_DAV_PASSWORD for
CardDAV/CalDAV), or are asked for on a terminal; never from the command line. smtp-check signs in
with the Microsoft 365 sign-in (XOAUTH2, only at smtp.office365.com), or with the password in
CUTOVER_SMTP_PASSWORD when set. Where a permission they need was never granted (SMTP.Send, or
Domain.Read.All to read the expected MX), dns and smtp-check ask for it in the browser, or with a
code (--device-code).`;

function usage(message: string): never {
  throw new CutoverError({ code: 'usage', message, retryable: false });
}

const COMMON = {
  source: { type: 'string' },
  target: { type: 'string' },
  ca: { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const RULES = {
  exclude: { type: 'string', multiple: true },
  map: { type: 'string', multiple: true },
} as const;

/** --exclude FOLDER and --map SOURCE=TARGET (both repeatable) as folder rules; null when none was given. */
function rulesOf(exclude: string[] | undefined, map: string[] | undefined): MappingRules | null {
  if (exclude === undefined && map === undefined) return null;
  const rename: Record<string, string> = {};
  for (const item of map ?? []) {
    const at = item.indexOf('=');
    const from = at < 0 ? '' : item.slice(0, at).trim();
    const to = at < 0 ? '' : item.slice(at + 1).trim();
    if (!from || !to) usage(`--map needs SOURCE=TARGET (for example --map "Sent=Sent Items"), got "${item}".`);
    if (rename[from] !== undefined && rename[from] !== to) usage(`--map gives two new names for "${from}".`);
    rename[from] = to;
  }
  for (const folder of exclude ?? []) {
    if (folder.trim() === '') usage('--exclude needs a folder name.');
    if (rename[folder] !== undefined) usage(`"${folder}" is both left out (--exclude) and renamed (--map).`);
  }
  return { exclude: (exclude ?? []).map((f) => f.trim()), rename };
}

export function parseCli(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'version' || command === '--version') return { command: 'version' };
  if (command === 'sync') {
    const { values } = parse(rest, {
      ...COMMON,
      'max-message-size': { type: 'string' },
      connections: { type: 'string' },
      'no-mdn-sent': { type: 'boolean', default: false },
      repair: { type: 'boolean', default: false },
      ...RULES,
    });
    if (values.help) return { command: 'help' };
    return {
      command: 'sync',
      source: parseImapUrl(required(values.source, '--source'), 'source'),
      target: parseTarget(required(values.target, '--target')),
      stateDir: values['state-dir'] ?? null,
      caFile: caFileArg(values.ca),
      maxMessageSize: values['max-message-size'] === undefined ? null : positiveInteger(values['max-message-size'], '--max-message-size', 1),
      connections: values.connections === undefined ? null : positiveInteger(values.connections, '--connections', 1, 16),
      mdnSent: values['no-mdn-sent'] !== true,
      repair: values.repair === true,
      rules: rulesOf(values.exclude, values.map),
      json: values.json === true,
    };
  }
  if (command === 'watch') {
    const { values } = parse(rest, {
      ...COMMON,
      every: { type: 'string' },
      domain: { type: 'string' },
      'expect-mx': { type: 'string' },
      resolver: { type: 'string', multiple: true },
      'max-message-size': { type: 'string' },
    });
    if (values.help) return { command: 'help' };
    const domain = values.domain ?? null;
    if (domain !== null && !/^[A-Za-z0-9.-]{1,253}$/.test(domain)) usage(`--domain must be a domain name, got "${domain}".`);
    if (domain === null && (values['expect-mx'] !== undefined || values.resolver !== undefined)) usage('--expect-mx and --resolver go with --domain.');
    return {
      command: 'watch',
      source: parseImapUrl(required(values.source, '--source'), 'source'),
      target: parseTarget(required(values.target, '--target')),
      stateDir: values['state-dir'] ?? null,
      caFile: caFileArg(values.ca),
      everySeconds: values.every === undefined ? 300 : duration(values.every, '--every'),
      domain,
      expectMx: values['expect-mx'] ?? null,
      resolvers: values.resolver ?? [],
      maxMessageSize: values['max-message-size'] === undefined ? null : positiveInteger(values['max-message-size'], '--max-message-size', 1),
      json: values.json === true,
    };
  }
  if (command === 'dedupe') {
    const { values } = parse(rest, { ...COMMON, 'dry-run': { type: 'boolean', default: false }, yes: { type: 'boolean', default: false } });
    if (values.help) return { command: 'help' };
    if (values['dry-run'] && values.yes) usage('--dry-run only shows what would be removed; --yes removes it. Give one of them.');
    return {
      command: 'dedupe',
      source: parseImapUrl(required(values.source, '--source'), 'source'),
      target: parseTarget(required(values.target, '--target')),
      stateDir: values['state-dir'] ?? null,
      caFile: values.ca ?? null,
      dryRun: values['dry-run'] === true,
      yes: values.yes === true,
      json: values.json === true,
    };
  }
  if (command === 'compare' || command === 'preflight') {
    const { values } = parse(rest, { ...COMMON, 'max-message-size': { type: 'string' }, ...RULES });
    if (values.help) return { command: 'help' };
    const common = {
      source: parseImapUrl(required(values.source, '--source'), 'source'),
      target: parseTarget(required(values.target, '--target')),
      stateDir: values['state-dir'] ?? null,
      caFile: caFileArg(values.ca),
      json: values.json === true,
    };
    if (command === 'compare') {
      if (values['max-message-size'] !== undefined) usage('--max-message-size belongs to sync and preflight, not compare.');
      return { command, ...common, rules: rulesOf(values.exclude, values.map) };
    }
    if (values.exclude !== undefined || values.map !== undefined) usage('--exclude and --map belong to sync and compare.');
    const maxMessageSize = values['max-message-size'] === undefined ? null : positiveInteger(values['max-message-size'], '--max-message-size', 1);
    return { command, ...common, maxMessageSize };
  }
  if (command === 'login') {
    const { values } = parse(rest, {
      'device-code': { type: 'boolean', default: false },
      tenant: { type: 'string' },
      'client-id': { type: 'string' },
      'state-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) return { command: 'help' };
    return {
      command: 'login',
      deviceCode: values['device-code'] === true,
      tenant: values.tenant ?? null,
      clientId: values['client-id'] ?? null,
      stateDir: values['state-dir'] ?? null,
      json: values.json === true,
    };
  }
  if (command === 'contacts' || command === 'calendar') return parsePim(command, rest);
  if (command === 'dns' || command === 'smtp-check') return parseCutoverDay(command, rest);
  if (command === 'whoami' || command === 'logout') {
    const { values } = parse(rest, { 'state-dir': { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
    if (values.help) return { command: 'help' };
    const common = { stateDir: values['state-dir'] ?? null, json: values.json === true };
    return command === 'whoami' ? { command, ...common } : { command, ...common };
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

function parsePim(command: 'contacts' | 'calendar', argv: string[]): PimArgs | { command: 'help' } {
  const [action, ...rest] = argv;
  if (action !== 'plan' && action !== 'copy' && action !== 'undo') {
    return usage(`"cutover ${command}" needs plan, copy or undo (for example: cutover ${command} plan ${command === 'contacts' ? 'contacts.vcf' : 'calendar.ics'}).`);
  }
  const dav = command === 'contacts' ? 'carddav' : 'caldav';
  const folderFlag = command === 'contacts' ? 'folder' : 'calendar';
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        [dav]: { type: 'string' },
        'dav-user': { type: 'string' },
        target: { type: 'string' },
        [folderFlag]: { type: 'string' },
        'time-zone': { type: 'string' },
        'folder-in-pst': { type: 'string', multiple: true },
        'state-dir': { type: 'string' },
        ca: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return usage(`${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}. Run "cutover --help" for usage.`);
  }
  const foldersInPst = (parsed.values['folder-in-pst'] as string[] | undefined) ?? [];
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (v.help) return { command: 'help' };
  const str = (k: string): string | null => (typeof v[k] === 'string' ? (v[k] as string) : null);
  const davUrl = str(dav);
  const files = parsed.positionals;
  if (action === 'plan' && davUrl) usage(`plan reads files only; use "cutover ${command} copy --${dav} URL" to read from a server.`);
  if (action !== 'undo' && files.length === 0 && !davUrl) usage(`Name at least one ${command === 'contacts' ? '.vcf, .csv' : '.ics'}, .pst or .ost file${action === 'copy' ? ` or --${dav} URL` : ''}.`);
  if (foldersInPst.length && !files.some((f) => /\.(pst|ost)$/i.test(f))) usage('--folder-in-pst picks folders of an Outlook data file: name a .pst or .ost file.');
  if (action === 'undo' && (files.length > 0 || davUrl)) usage('undo takes no files: it removes what Cutover created in the target mailbox.');
  if (davUrl && files.length > 0) usage(`Give files or --${dav}, not both.`);
  if (davUrl && !/^https?:\/\//i.test(davUrl)) usage(`--${dav} must be an http(s) URL, got "${davUrl}".`);
  const targetText = str('target');
  if (action !== 'plan' && !targetText) usage(`${action} needs --target m365:USER@DOMAIN.`);
  if (action === 'plan' && targetText) usage('plan works offline and takes no --target.');
  let target: TargetArg | null = null;
  if (targetText) {
    const m365 = parseM365Target(targetText);
    if (!m365) usage(`--target for ${command} must be m365:USER@DOMAIN (contacts and calendars go through Microsoft Graph).`);
    target = { kind: 'm365', user: m365!.user };
  }
  const timeZone = str('time-zone');
  if (command === 'contacts' && timeZone) usage('--time-zone belongs to calendar commands.');
  if (timeZone && !isValidZone(timeZone)) usage(`--time-zone "${timeZone}" is not an IANA time zone (for example Europe/Berlin).`);
  const common = {
    action,
    files,
    davUrl,
    davUser: str('dav-user'),
    target,
    folder: str(folderFlag),
    foldersInPst,
    timeZone,
    stateDir: str('state-dir'),
    caFile: caFileArg(str('ca') ?? undefined),
    json: v.json === true,
  } as const;
  return command === 'contacts' ? { command, ...common } : { command, ...common };
}

function parseCutoverDay(command: 'dns' | 'smtp-check', argv: string[]): DnsArgs | SmtpCheckArgs | { command: 'help' } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: command === 'dns',
      options: {
        'expect-mx': { type: 'string' },
        resolver: { type: 'string', multiple: true },
        user: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        ca: { type: 'string' },
        'device-code': { type: 'boolean', default: false },
        'state-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return usage(`${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}. Run "cutover --help" for usage.`);
  }
  const v = parsed.values;
  if (v.help) return { command: 'help' };
  const common = { deviceCode: v['device-code'] === true, stateDir: v['state-dir'] ?? null, json: v.json === true };
  if (command === 'dns') {
    const misplaced = (['user', 'host', 'port', 'ca'] as const).find((k) => v[k] !== undefined);
    if (misplaced) usage(`--${misplaced} belongs to smtp-check, not dns.`);
    if (parsed.positionals.length !== 1) usage('Name one domain, for example: cutover dns contoso.com');
    return { command, domain: parsed.positionals[0]!, expectMx: v['expect-mx'] ?? null, resolvers: v.resolver ?? [], ...common };
  }
  if (v['expect-mx'] !== undefined || v.resolver !== undefined) usage('--expect-mx and --resolver belong to dns, not smtp-check.');
  const user = required(v.user, '--user');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user)) usage(`--user must be a full e-mail address, got "${user}".`);
  if (v.host !== undefined && !/^[A-Za-z0-9.-]{1,253}$|^[0-9A-Fa-f:]{2,39}$/.test(v.host)) usage(`--host must be a server name or IP address, got "${v.host}".`);
  return {
    command,
    user,
    host: v.host ?? EXCHANGE_SMTP.host,
    port: v.port === undefined ? EXCHANGE_SMTP.port : positiveInteger(v.port, '--port', 1, 65535),
    caFile: caFileArg(v.ca),
    ...common,
  };
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseTarget(text: string): TargetArg {
  const m365 = parseM365Target(text);
  return m365 ? { kind: 'm365', user: m365.user } : { kind: 'imap', endpoint: parseImapUrl(text, 'target') };
}

/** --ca must hold at least one certificate: checked now, before any password prompt or connection. */
function caFileArg(file: string | undefined): string | null {
  if (file === undefined) return null;
  loadCaFile(file);
  return file;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') usage(`${flag} is required. Run "cutover --help" for usage.`);
  return value;
}

/** "30s", "5m", "1h" or plain seconds; between 10 seconds and a day. */
function duration(text: string, flag: string): number {
  const m = /^(\d+)\s*([smh]?)$/.exec(text.trim());
  if (!m) usage(`${flag} must be a duration like 30s, 5m or 1h, got "${text}".`);
  const n = Number(m![1]) * (m![2] === 'h' ? 3600 : m![2] === 'm' ? 60 : 1);
  if (n < 10 || n > 86_400) usage(`${flag} must be between 10s and 24h, got "${text}".`);
  return n;
}

function positiveInteger(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text)) usage(`${flag} must be a whole number, got "${text}".`);
  const n = Number(text);
  if (n < min || n > max) usage(`${flag} must be between ${min} and ${max}, got ${n}.`);
  return n;
}
