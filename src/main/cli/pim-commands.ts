import type { ApiEvent, PimSource } from '../../shared/app-api.js';
import type { OutlookFileInfo, PlannedItem, SkippedItem, SourceFormat, SourceRef } from '../../shared/pim-types.js';
import type { CliEngine } from './cli-service.js';
import type { PimArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { isOutlookDataFileName } from '../../shared/chosen-files.js';

/**
 * `contacts plan` / `calendar plan`: convert files offline and show exactly what would be created.
 * Stops within a moment when `signal` is aborted (Ctrl-C, SIGTERM). The JSON is written item by
 * item, so a plan of a 50 MB file is never one 100 MB string.
 */
export async function planCommand(args: PimArgs, engine: CliEngine, io: CliIo, signal: AbortSignal): Promise<number> {
  const off = args.json ? () => undefined : engine.service.onEvent(readingProgress(io));
  try {
    const plan = await engine.service.planPim(args.command, filesSource(args, engine), args.timeZone, { signal });
    const listing = plan.outlookFiles;
    const items = plan.items as PlannedItem<Record<string, unknown>>[];
    const rest = args.command === 'contacts' ? { skipped: plan.skipped, groups: plan.groups, formats: plan.formats, outlookFolders: listing } : { skipped: plan.skipped, formats: plan.formats, outlookFolders: listing };
    if (args.json) await writeJson(io.stdout, items, rest);
    else io.stdout.write(`${[...listingText(listing, args.foldersInPst), ...formatsText(plan.formats), planText(args.command === 'contacts' ? 'contacts' : 'events', items, plan.skipped)].join('\n')}\n`);
    return 0;
  } finally {
    off();
  }
}

/** The named files, registered with the CLI's file refs: the service reads them by ref, as the app's. */
export function filesSource(args: PimArgs, engine: CliEngine): PimSource {
  // Named for this command (contacts or calendar); an Outlook data file serves both.
  const purpose = args.command === 'contacts' ? 'contacts' : 'calendar';
  const files = args.files.map((path) => engine.files.register({ path, name: path, size: 0, purpose: isOutlookDataFileName(path) ? 'outlook' : purpose }));
  return { kind: 'files', files: files.map(({ ref, name }) => ({ ref, name })), ...(args.foldersInPst.length ? { folders: args.foldersInPst } : {}) };
}

/** "Reading FILE…" and a data file's item count on stderr, for a person. */
export function readingProgress(io: CliIo): (e: ApiEvent) => void {
  return (e) => {
    if (e.type === 'pim-file') io.stderr.write(`Reading ${e.origin}…\n`);
    else if (e.type === 'pim-progress' && e.stage === 'reading') io.stderr.write(`\r${e.origin ?? ''}: ${e.done} of ${e.total} items${e.done === e.total ? '\n' : ''}`);
  };
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
