import { CutoverError } from '../../shared/errors.js';
import type { OutlookFileInfo, PlannedEvent, PlannedItem, SkippedItem, SourceFormat, SourceRef } from '../../shared/pim-types.js';
import { planCalendar } from '../engine/calendar/plan-calendar.js';
import { localTimeZone } from '../engine/calendar/time-zones.js';
import { planContacts } from '../engine/contacts/plan-contacts.js';
import { matchFolder, outlookFileInfo } from '../engine/outlook/outlook-source.js';
import { isOutlookDataFile, readSourceFiles } from '../engine/pim/read-source-files.js';
import type { PimArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';

/**
 * `contacts plan` / `calendar plan`: convert files offline and show exactly what would be created.
 * Stops within a moment when `signal` is aborted (Ctrl-C, SIGTERM). The JSON is written item by
 * item, so a plan of a 50 MB file is never one 100 MB string.
 */
export async function planCommand(args: PimArgs, io: CliIo, signal?: AbortSignal): Promise<number> {
  const onFile = args.json ? undefined : (origin: string) => io.stderr.write(`Reading ${origin}…\n`);
  const outlook = await outlookFiles(args);
  const options = { ...(signal ? { signal } : {}), ...(onFile ? { onFile } : {}), ...outlookOptions(args, io) };
  const listing = outlook.map((f) => ({ ...f, folders: f.folders.filter((x) => x.kind === args.command) }));
  if (args.command === 'contacts') {
    const plan = await planContacts(readSourceFiles(args.files), options);
    const items = plan.items.map((i): PlannedItem<Record<string, unknown>> => ({ source: i.source, graph: i.graph, warnings: i.warnings }));
    if (args.json) await writeJson(io.stdout, items, { skipped: plan.skipped, groups: plan.groups, formats: plan.formats, outlookFolders: listing });
    else io.stdout.write(`${[...listingText(listing, args.foldersInPst), ...formatsText(plan.formats), planText('contacts', items, plan.skipped)].join('\n')}\n`);
    return 0;
  }
  const plan = await planCalendar(readSourceFiles(args.files), localTimeZone(args.timeZone), options);
  const items = plan.items.map((i): PlannedEvent => ({ source: i.source, graph: i.graph, warnings: i.warnings, cancelledOccurrences: i.cancelledOccurrences, modifiedOccurrences: i.modifiedOccurrences }));
  if (args.json) await writeJson(io.stdout, items, { skipped: plan.skipped, formats: plan.formats, outlookFolders: listing });
  else io.stdout.write(`${[...listingText(listing, args.foldersInPst), ...formatsText(plan.formats), planText('events', items, plan.skipped)].join('\n')}\n`);
  return 0;
}

/**
 * The Outlook data files among the named files, with their folders. A file that cannot be opened
 * (a password, damage) stops the command with its code; a --folder-in-pst that names no folder of
 * the right kind is a usage error that lists the folders there are.
 */
export async function outlookFiles(args: PimArgs): Promise<OutlookFileInfo[]> {
  const out: OutlookFileInfo[] = [];
  for (const path of args.files) {
    let isData = false;
    try {
      isData = await isOutlookDataFile(path, path);
    } catch {
      continue; // reported by the planner with the file's name
    }
    if (isData) out.push(outlookFileInfo(path, path));
  }
  const folders = out.flatMap((f) => f.folders.filter((x) => x.kind === args.command));
  for (const wanted of args.foldersInPst) {
    if (matchFolder(folders, wanted).length) continue;
    const list = folders.map((f) => `"${f.path}"`).join(', ');
    throw new CutoverError({ code: 'usage', message: `No ${args.command === 'contacts' ? 'contacts' : 'calendar'} folder "${wanted}" in the data file. ${list ? `Its ${args.command} folders: ${list}.` : `It has no ${args.command} folder.`}`, retryable: false });
  }
  return out;
}

/** The planners' options for data files: the chosen folders, and progress on stderr for a person. */
export function outlookOptions(args: PimArgs, io: CliIo): { outlookFolders: string[]; onProgress?: (p: { origin: string; done: number; total: number }) => void } {
  let last = 0;
  const onProgress = (p: { origin: string; done: number; total: number }): void => {
    const now = Date.now();
    if (now - last < 500 && p.done !== p.total) return;
    last = now;
    io.stderr.write(`\r${p.origin}: ${p.done} of ${p.total} items${p.done === p.total ? '\n' : ''}`);
  };
  return { outlookFolders: args.foldersInPst, ...(args.json ? {} : { onProgress }) };
}

function listingText(files: OutlookFileInfo[], wanted: string[]): string[] {
  const lines: string[] = [];
  for (const f of files) {
    lines.push(`${f.name}: ${f.format}. Folders (pick with --folder-in-pst NAME; * = read when none is named):`);
    for (const folder of f.folders) lines.push(`  ${folder.suggested && wanted.length === 0 ? '*' : ' '} ${folder.path}  (${folder.items} items, ${folder.containerClass})`);
    if (f.folders.length === 0) lines.push('    none');
    lines.push('');
  }
  return lines;
}

function formatsText(formats: SourceFormat[]): string[] {
  return formats.length ? [...formats.map((f) => `${f.file}: read as ${f.format}.`), ''] : [];
}

/** `{"items":[…],…rest}` written one item at a time, waiting for the pipe when it is full. */
async function writeJson(out: NodeJS.WritableStream, items: unknown[], rest: Record<string, unknown>): Promise<void> {
  const write = (text: string): Promise<void> => new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', () => resolve())));
  await write('{"items":[');
  for (const [n, item] of items.entries()) await write(`${n ? ',' : ''}${JSON.stringify(item)}`);
  await write(']');
  for (const [key, value] of Object.entries(rest)) await write(`,${JSON.stringify(key)}:${JSON.stringify(value)}`);
  await write('}\n');
}

function where(s: SourceRef): string {
  return `${s.file}${s.line ? `:${s.line}` : ''}${s.uid ? ` ${s.uid}` : ''}${s.occurrence ? ` (${s.occurrence})` : ''}`;
}

function planText(what: string, items: PlannedItem<Record<string, unknown>>[], skipped: SkippedItem[]): string {
  const lines = [`${items.length} ${what} would be created.`];
  const warned = items.filter((i) => i.warnings.length > 0);
  if (warned.length) {
    lines.push('', 'Notes:');
    for (const i of warned) lines.push(`  ${String(i.graph.displayName ?? i.graph.subject ?? i.source.uid)}: ${i.warnings.join('; ')}`);
  }
  if (skipped.length) {
    lines.push('', `Not copied (${skipped.length}):`);
    for (const s of skipped) lines.push(`  ${where(s.source)}: ${s.reason}`);
  }
  return lines.join('\n');
}
