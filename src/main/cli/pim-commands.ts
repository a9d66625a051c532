import type { CalendarPlan, ContactsPlan } from '../../shared/pim-types.js';
import { planCalendar, readCalendarFiles } from '../engine/calendar/plan-calendar.js';
import { localTimeZone } from '../engine/calendar/time-zones.js';
import { planContacts, readContactFiles } from '../engine/contacts/plan-contacts.js';
import type { PimArgs } from './cli-args.js';
import type { CliIo } from './main.js';

/** `contacts plan` / `calendar plan`: convert files offline and show exactly what would be created. */
export function planCommand(args: PimArgs, io: CliIo): number {
  if (args.command === 'contacts') {
    const { sources, skipped } = readContactFiles(args.files);
    const plan = planContacts(sources);
    const out: ContactsPlan = {
      items: plan.items.map((i) => ({ source: i.source, graph: i.graph, warnings: i.warnings })),
      skipped: [...skipped, ...plan.skipped],
      groups: plan.groups,
    };
    io.stdout.write(args.json ? `${JSON.stringify(out)}\n` : `${planText(out.items.length, 'contacts', out.items, out.skipped)}\n`);
    return 0;
  }
  const { sources, skipped } = readCalendarFiles(args.files);
  const plan = planCalendar(sources, localTimeZone(args.timeZone));
  const out: CalendarPlan = {
    items: plan.items.map((i) => ({ source: i.source, graph: i.graph, warnings: i.warnings, cancelledOccurrences: i.cancelledOccurrences, modifiedOccurrences: i.modifiedOccurrences })),
    skipped: [...skipped, ...plan.skipped],
  };
  io.stdout.write(args.json ? `${JSON.stringify(out)}\n` : `${planText(out.items.length, 'events', out.items, out.skipped)}\n`);
  return 0;
}

function planText(count: number, what: string, items: { source: { file: string; uid: string }; graph: Record<string, unknown>; warnings: string[] }[], skipped: { source: { file: string; uid: string }; reason: string }[]): string {
  const lines = [`${count} ${what} would be created.`];
  const warned = items.filter((i) => i.warnings.length > 0);
  if (warned.length) {
    lines.push('', 'Notes:');
    for (const i of warned) lines.push(`  ${String(i.graph.displayName ?? i.graph.subject ?? i.source.uid)}: ${i.warnings.join('; ')}`);
  }
  if (skipped.length) {
    lines.push('', `Not copied (${skipped.length}):`);
    for (const s of skipped) lines.push(`  ${s.source.file}${s.source.uid ? ` ${s.source.uid}` : ''}: ${s.reason}`);
  }
  return lines.join('\n');
}
