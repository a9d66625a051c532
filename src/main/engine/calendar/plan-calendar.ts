import ICAL from 'ical.js';
import type { SkippedItem, SourceFormat, SourceRef } from '../../../shared/pim-types.js';
import { InputProblem, PlanControl, problemText, WorkBudget } from '../pim/plan-control.js';
import type { SourceBytes, SourceFiles } from '../pim/read-source-files.js';
import { fileBytes } from '../pim/text-decoding.js';
import type { OutlookPlanOptions } from '../outlook/outlook-source.js';
import { planOutlookCalendar } from './plan-outlook-calendar.js';
import { componentText, indexComponents, type IndexedComponent } from './ics-reader.js';
import { planSeries, type SeriesContext } from './plan-series.js';
import type { InternalCalendarPlan, InternalPlannedEvent, ParsedComponent } from './planned-event.js';
import { CalendarZones } from './time-zones.js';
import { readVtimezone, type ZoneDefinition } from './vtimezone.js';

export type { InternalCalendarPlan, InternalPlannedEvent } from './planned-event.js';

interface CalendarFilePlanOptions {
  signal?: AbortSignal;
  /** "Today" for the expansion window (tests fix it). */
  now?: Date;
  onFile?: (origin: string) => void;
}

export type CalendarPlanOptions = CalendarFilePlanOptions & OutlookPlanOptions;

const NOT_COPIED: Record<string, string> = {
  VTODO: 'tasks (VTODO) are not copied',
  VJOURNAL: 'journal entries (VJOURNAL) are not copied',
  VFREEBUSY: 'free/busy information (VFREEBUSY) is not copied',
  VAVAILABILITY: 'availability (VAVAILABILITY) is not copied',
};

/**
 * Reads .ics files and Outlook data files (.pst/.ost: the chosen calendar folders, see
 * plan-outlook-calendar.ts), and plans the Graph events. For .ics files (Outlook, Google, Apple, Thunderbird, Nextcloud, Fastmail; several calendars per
 * file; UTF-8, UTF-16 or Windows-1252) and plans the Graph events: series with exact Graph
 * equivalents, cancelled and changed occurrences, series expanded into single events where Graph
 * has no equivalent. An event, or a whole file, that cannot be read is reported with its file name
 * and line; everything else goes on. Nothing here touches the network. Honours `signal`.
 */
export async function planCalendar(sources: SourceFiles, userZone: string, options: CalendarPlanOptions = {}): Promise<InternalCalendarPlan> {
  const control = new PlanControl(options.signal);
  const now = options.now ?? new Date();
  const items: InternalPlannedEvent[] = [];
  const byKey = new Map<string, number>();
  const skipped: SkippedItem[] = [];
  const formats: SourceFormat[] = [];
  const keep = (item: InternalPlannedEvent): void => {
    const earlier = byKey.get(item.key);
    if (earlier === undefined) {
      byKey.set(item.key, items.length);
      items.push(item);
      return;
    }
    // The same event twice (two exports chosen together): one copy, the later one.
    const previous = items[earlier]!;
    items[earlier] = item;
    const where = `${item.source.file}${item.source.line ? ` (line ${item.source.line})` : ''}`;
    skipped.push({ source: previous.source, reason: `the same event appears again ${previous.hash === item.hash ? 'with the same content' : 'with different content'} in ${where}; that copy is the one copied` });
  };
  for await (const file of sources) {
    control.throwIfAborted();
    options.onFile?.(file.origin);
    if ('unreadable' in file) {
      skipped.push({ source: { file: file.origin, uid: '' }, reason: file.unreadable });
      continue;
    }
    if ('outlook' in file) await planOutlookCalendar(file, { userZone, now, control, keep, skipped, formats }, options);
    else await planFile(file, { userZone, now, control, keep, skipped });
  }
  return { items, skipped, formats };
}

interface FileContext {
  userZone: string;
  now: Date;
  control: PlanControl;
  keep: (item: InternalPlannedEvent) => void;
  skipped: SkippedItem[];
}

async function planFile(file: SourceBytes, ctx: FileContext): Promise<void> {
  const origin = file.origin;
  let line: number | null = null;
  try {
    const { bytes, assumed } = fileBytes(file.bytes);
    const zones: IndexedComponent[] = [];
    const groups = new Map<string, IndexedComponent[]>();
    let components = 0;
    for (const c of indexComponents(bytes)) {
      components++;
      line = c.line;
      if (components % 256 === 0) await ctx.control.checkpoint();
      const source: SourceRef = { file: origin, uid: c.uid ?? '', line: c.line };
      if (c.problem) ctx.skipped.push({ source, reason: `the ${c.name} at line ${c.line} was not read: ${c.problem}` });
      else if (c.name === 'VTIMEZONE') zones.push(c);
      else if (c.name === 'VEVENT') {
        const key = c.uid ?? `#${c.line}`;
        const group = groups.get(key);
        if (group) group.push(c);
        else groups.set(key, [c]);
      } else ctx.skipped.push({ source, reason: NOT_COPIED[c.name] ?? `${c.name} components are not copied` });
    }
    if (components === 0) {
      ctx.skipped.push({ source: { file: origin, uid: '' }, reason: 'no calendar found in this file (no BEGIN:VCALENDAR or BEGIN:VEVENT line)' });
      return;
    }
    line = null;
    const calendarZones = new CalendarZones(readZones(bytes, zones), ctx.userZone, ctx.now.getUTCFullYear());
    // A file's recurrences get work in proportion to its size: a million steps (a few seconds) plus
    // 200,000 a megabyte; a real series needs a few hundred to a few thousand.
    const megabytes = bytes.length / 1024 / 1024;
    const fileBudget = new WorkBudget('the repeating events of this file', 1_000_000 + Math.round(megabytes * 200_000), 8_000 + megabytes * 1000);
    const series: SeriesContext = { origin, zones: calendarZones, now: ctx.now, fileWarnings: assumed ? [assumed] : [], fileBudget };
    for (const group of groups.values()) {
      await ctx.control.checkpoint();
      const first = group[0]!;
      try {
        const parsed = group.map((c) => parseComponent(bytes, c));
        const masters = parsed.filter((p) => !p.component.getFirstProperty('recurrence-id'));
        const overrides = parsed.filter((p) => p.component.getFirstProperty('recurrence-id'));
        // The same event twice in one file: the later one is copied, the earlier reported.
        const master = masters.at(-1) ?? null;
        for (const dup of masters.slice(0, -1)) {
          ctx.skipped.push({ source: { file: origin, uid: first.uid ?? '', line: dup.line }, reason: `the same event appears again at line ${master!.line} of this file; that one is copied` });
        }
        for (const item of planSeries(master, overrides, first.uid, series)) ctx.keep(item);
      } catch (err) {
        if ((err as { code?: string })?.code === 'cancelled') throw err;
        ctx.skipped.push({ source: { file: origin, uid: first.uid ?? '', line: first.line }, reason: `the event at line ${first.line} ${err instanceof InputProblem ? 'cannot be copied' : 'was not read'}: ${problemText(err, null)}` });
      }
    }
  } catch (err) {
    if ((err as { code?: string })?.code === 'cancelled') throw err;
    ctx.skipped.push({ source: { file: origin, uid: '', ...(line !== null ? { line } : {}) }, reason: `the rest of the file was not read: ${problemText(err, line)}` });
  }
}

function parseComponent(bytes: Buffer, c: IndexedComponent): ParsedComponent {
  const { text, warnings } = componentText(bytes, c);
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch {
    throw new InputProblem('its text is not valid iCalendar');
  }
  const list = Array.isArray(jcal) && Array.isArray(jcal[0]) ? (jcal as unknown[]) : [jcal];
  const component = new ICAL.Component(list[0] as unknown[]);
  return { component, line: c.line, warnings };
}

function readZones(bytes: Buffer, zones: IndexedComponent[]): Map<string, ZoneDefinition | { rejected: string }> {
  const out = new Map<string, ZoneDefinition | { rejected: string }>();
  for (const z of zones) {
    try {
      const parsed = readVtimezone(parseComponent(bytes, z).component);
      if (parsed.tzid && !out.has(parsed.tzid)) out.set(parsed.tzid, 'zone' in parsed ? parsed.zone : { rejected: parsed.rejected });
    } catch {
      // An unreadable VTIMEZONE: events that use it say their zone is undefined.
    }
  }
  return out;
}
