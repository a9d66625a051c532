import type { PlannedEvent, PlannedItem, SkippedItem, SourceRef } from '../../shared/pim-types.js';
import { planCalendar } from '../engine/calendar/plan-calendar.js';
import { localTimeZone } from '../engine/calendar/time-zones.js';
import { planContacts } from '../engine/contacts/plan-contacts.js';
import { readSourceFiles } from '../engine/pim/read-source-files.js';
import type { PimArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';

/**
 * `contacts plan` / `calendar plan`: convert files offline and show exactly what would be created.
 * Stops within a moment when `signal` is aborted (Ctrl-C, SIGTERM). The JSON is written item by
 * item, so a plan of a 50 MB file is never one 100 MB string.
 */
export async function planCommand(args: PimArgs, io: CliIo, signal?: AbortSignal): Promise<number> {
  const onFile = args.json ? undefined : (origin: string) => io.stderr.write(`Reading ${origin}…\n`);
  const options = { ...(signal ? { signal } : {}), ...(onFile ? { onFile } : {}) };
  if (args.command === 'contacts') {
    const plan = await planContacts(readSourceFiles(args.files), options);
    const items = plan.items.map((i): PlannedItem<Record<string, unknown>> => ({ source: i.source, graph: i.graph, warnings: i.warnings }));
    if (args.json) await writeJson(io.stdout, items, { skipped: plan.skipped, groups: plan.groups });
    else io.stdout.write(`${planText('contacts', items, plan.skipped)}\n`);
    return 0;
  }
  const plan = await planCalendar(readSourceFiles(args.files), localTimeZone(args.timeZone), options);
  const items = plan.items.map((i): PlannedEvent => ({ source: i.source, graph: i.graph, warnings: i.warnings, cancelledOccurrences: i.cancelledOccurrences, modifiedOccurrences: i.modifiedOccurrences }));
  if (args.json) await writeJson(io.stdout, items, { skipped: plan.skipped });
  else io.stdout.write(`${planText('events', items, plan.skipped)}\n`);
  return 0;
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
