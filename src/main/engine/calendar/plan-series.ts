import ICAL from 'ical.js';
import { escapeHtml } from '../../../shared/html-text.js';
import type { GraphBody } from '../../../shared/pim-types.js';
import { InputProblem, WorkBudget } from '../pim/plan-control.js';
import { contentKeyOf, sourceKey } from '../pim/source-identity.js';
import { mapEvent, type MappedEvent } from './event-mapper.js';
import { onClock, readTimes, tzidOf, valuesOf, wallOf, type EventTimes } from './event-times.js';
import { EXPANSION_MAX, EXPANSION_YEARS, expandOccurrences, occurrenceKey } from './expand-series.js';
import { eventHash, type InternalPlannedEvent, type ParsedComponent } from './planned-event.js';
import { checkRule, mapRecurrence } from './recurrence.js';
import type { CalendarZones } from './time-zones.js';
import { dateIso, wallAsUtcMs, type Wall } from './zone-clock.js';

export interface SeriesContext {
  origin: string;
  zones: CalendarZones;
  now: Date;
  /** Said on every event of the file (an encoding that had to be assumed). */
  fileWarnings: string[];
  /** All recurrence work of the file. */
  fileBudget: WorkBudget;
}

/**
 * Work one series may take (occurrences and the loops inside ical.js, where a rule that never
 * matches spins), with wall time as a backstop. Real series need a few thousand steps.
 */
const SERIES_STEPS = 60_000;
const SERIES_MS = 1000;

/**
 * One UID's VEVENTs (the series or single event, and its changed occurrences) → planned events:
 * one Graph series, a single event, or single events for each occurrence. Every item keeps the UID
 * as written in `source.uid`; one occurrence kept as its own event says which in `source.occurrence`.
 */
export function planSeries(master: ParsedComponent | null, overrides: ParsedComponent[], uid: string | null, ctx: SeriesContext): InternalPlannedEvent[] {
  const seriesKey = contentKeyOf(normalized([...(master ? [master] : []), ...overrides]));
  if (!master) {
    // Only changed occurrences were exported (Google does this for shared series): single events.
    return overrides.map((o) => {
      const times = readTimes(o.component, ctx.zones);
      const occurrence = recurrenceIdOn(o.component, times, ctx.zones);
      return single(ctx, uid, o, times, occurrence, contentKeyOf([['series', seriesKey], ['occurrence', occurrence]]));
    });
  }
  const m = master.component;
  if (String(valueText(m, 'status')).toUpperCase() === 'CANCELLED') throw new InputProblem('the event was cancelled in the old calendar (STATUS:CANCELLED)');
  const times = readTimes(m, ctx.zones);
  const rules = m.getAllProperties('rrule').map((p) => valuesOf(p)[0]).filter((r): r is ICAL.Recur => r instanceof ICAL.Recur);
  const rdates = m
    .getAllProperties('rdate')
    .flatMap((p) => valuesOf(p).map((v) => ({ time: v instanceof ICAL.Period ? v.start : v, tzid: tzidOf(p) })))
    .filter((v): v is { time: ICAL.Time; tzid: string | null } => v.time instanceof ICAL.Time);
  if (rules.length === 0 && rdates.length === 0) {
    return [single(ctx, uid, master, times, null, seriesKey), ...overrides.map((o) => lonelyOverride(ctx, uid, o, seriesKey))];
  }
  for (const r of rules) checkRule(r);
  const budget = new WorkBudget('the repeat rule', SERIES_STEPS, SERIES_MS, ctx.fileBudget);
  const until = rules[0]?.until ? untilOnClock(rules[0].until, times, ctx.zones) : null;
  const byOccurrence = new Map<string, ParsedComponent>();
  for (const o of overrides) byOccurrence.set(recurrenceIdOn(o.component, times, ctx.zones), o);
  const excluded = exdates(m, times, ctx.zones);

  const why = rdates.length ? 'the series has extra dates (RDATE)' : rules.length > 1 ? 'the series has several rules' : !times.clock.patterns ? 'its time zone has no Outlook equivalent' : null;
  const mapping = why ? { kind: 'expand' as const, reason: why } : mapRecurrence({ rule: rules[0]!, start: times.start, isDate: times.isDate, until, graphZone: times.clock.graphZone }, budget);
  const firstKey = occurrenceKey(times.start, times.isDate, times.clock.isUtc);

  if (mapping.kind === 'only-first') {
    const override = byOccurrence.get(firstKey);
    if (excluded.has(firstKey)) return [];
    return [override ? single(ctx, uid, override, readTimes(override.component, ctx.zones), null, seriesKey) : single(ctx, uid, master, times, null, seriesKey)];
  }
  if (mapping.kind === 'expand') {
    return expand(ctx, uid, master, times, { rules, rdates, until, excluded, byOccurrence, reason: mapping.reason, seriesKey }, budget);
  }

  // A Graph series; a DTSTART off the rule becomes a single event beside it.
  const out: InternalPlannedEvent[] = [];
  let seriesTimes = times;
  if (mapping.firstIsExtra) {
    if (!excluded.has(firstKey)) {
      const override = byOccurrence.get(firstKey);
      const extraTimes = override ? readTimes(override.component, ctx.zones) : times;
      out.push(single(ctx, uid, override ?? master, extraTimes, firstKey, contentKeyOf([['series', seriesKey], ['occurrence', firstKey]]), ['the first occurrence is not on the repeat rule, so it was copied as a single event beside the series']));
    }
    byOccurrence.delete(firstKey);
    seriesTimes = shifted(times, mapping.seriesStart);
  }
  const identity = { key: sourceKey('event', uid, seriesKey), contentKey: seriesKey };
  const mapped = mapEvent(m, seriesTimes, identity);
  mapped.graph.recurrence = mapping.recurrence;
  const cancelled = new Set<string>([...excluded].map((k) => k.slice(0, 10)));
  const modified: { originalStart: string; graph: GraphBody }[] = [];
  for (const [occurrence, o] of byOccurrence) {
    if (String(valueText(o.component, 'status')).toUpperCase() === 'CANCELLED') {
      cancelled.add(occurrence.slice(0, 10));
      continue;
    }
    const change = mapEvent(o.component, readTimes(o.component, ctx.zones), null);
    mapped.warnings.push(...change.warnings.map((w) => `occurrence ${occurrence}: ${w}`));
    modified.push({ originalStart: occurrence, graph: change.graph });
  }
  out.unshift(finish(ctx, uid, master, identity, mapped, times.clock.iana, [...cancelled].sort(), modified, null));
  return out;
}

interface ExpandPlan {
  rules: ICAL.Recur[];
  rdates: { time: ICAL.Time; tzid: string | null }[];
  until: Wall | null;
  excluded: Set<string>;
  byOccurrence: Map<string, ParsedComponent>;
  reason: string;
  seriesKey: string;
}

/**
 * A series Graph cannot represent becomes single events, one per occurrence, from its start to
 * EXPANSION_YEARS after today (or its end), each saying so in its body.
 */
function expand(ctx: SeriesContext, uid: string | null, master: ParsedComponent, times: EventTimes, plan: ExpandPlan, budget: WorkBudget): InternalPlannedEvent[] {
  const limitUtc = new Date(ctx.now.getTime());
  limitUtc.setUTCFullYear(limitUtc.getUTCFullYear() + EXPANSION_YEARS);
  const limit = times.clock.fromUtc(limitUtc.getTime());
  const { occurrences, truncated } = expandOccurrences(
    {
      rules: plan.rules,
      extraDates: plan.rdates.map((r) => onClock(r.time, r.tzid, times.clock, ctx.zones)),
      start: times.start,
      isDate: times.isDate,
      utc: times.clock.isUtc,
      until: plan.until,
      excluded: plan.excluded,
      limit,
    },
    budget,
  );
  const rule = ruleText(master.component);
  const note = `<p><em>One occurrence of a repeating series that Outlook cannot represent exactly (${escapeHtml(rule)}); copied as single events up to ${EXPANSION_YEARS} years ahead.</em></p>`;
  const out: InternalPlannedEvent[] = [];
  const seen = new Set<string>();
  for (const occ of occurrences) {
    const key = occurrenceKey(occ, times.isDate, times.clock.isUtc);
    seen.add(key);
    const override = plan.byOccurrence.get(key);
    if (override && String(valueText(override.component, 'status')).toUpperCase() === 'CANCELLED') continue;
    const occTimes = override ? readTimes(override.component, ctx.zones) : shifted(times, occ);
    out.push(single(ctx, uid, override ?? master, occTimes, key, contentKeyOf([['series', plan.seriesKey], ['occurrence', key]]), [`repeating series expanded into single events because ${plan.reason}`], note));
  }
  // Changed occurrences the rule does not produce (moved from a date since removed): kept as they are.
  for (const [key, o] of plan.byOccurrence) {
    if (seen.has(key) || String(valueText(o.component, 'status')).toUpperCase() === 'CANCELLED' || key > occurrenceKey(limit, times.isDate, times.clock.isUtc)) continue;
    out.push(single(ctx, uid, o, readTimes(o.component, ctx.zones), key, contentKeyOf([['series', plan.seriesKey], ['occurrence', key]]), [`repeating series expanded into single events because ${plan.reason}`], note));
  }
  if (truncated && out.length) out[out.length - 1]!.warnings.push(`only the first ${EXPANSION_MAX} occurrences were copied`);
  return out;
}

function single(ctx: SeriesContext, uid: string | null, c: ParsedComponent, times: EventTimes, occurrence: string | null, contentKey: string, extraWarnings: string[] = [], bodyNote = ''): InternalPlannedEvent {
  const identity = { key: sourceKey('event', uid, contentKey, uid ? occurrence : null), contentKey };
  const mapped = mapEvent(c.component, times, identity);
  mapped.warnings.push(...extraWarnings);
  if (bodyNote) (mapped.graph.body as { content: string }).content += bodyNote;
  return finish(ctx, uid, c, identity, mapped, times.clock.iana, [], [], occurrence);
}

/** A changed occurrence of an event that does not repeat: copied as its own event. */
function lonelyOverride(ctx: SeriesContext, uid: string | null, o: ParsedComponent, seriesKey: string): InternalPlannedEvent {
  const times = readTimes(o.component, ctx.zones);
  const occurrence = recurrenceIdOn(o.component, times, ctx.zones);
  return single(ctx, uid, o, times, occurrence, contentKeyOf([['series', seriesKey], ['occurrence', occurrence]]));
}

function finish(
  ctx: SeriesContext,
  uid: string | null,
  c: ParsedComponent,
  identity: { key: string; contentKey: string },
  mapped: MappedEvent,
  zone: string,
  cancelled: string[],
  modified: { originalStart: string; graph: GraphBody }[],
  occurrence: string | null,
): InternalPlannedEvent {
  const source = { file: ctx.origin, uid: uid ?? '', line: c.line, ...(occurrence ? { occurrence } : {}) };
  const base = { graph: mapped.graph, cancelledOccurrences: cancelled, modifiedOccurrences: modified, attachments: mapped.attachments };
  return {
    source,
    ...base,
    warnings: [...new Set([...ctx.fileWarnings, ...c.warnings, ...mapped.warnings])],
    key: identity.key,
    contentKey: identity.contentKey,
    hash: eventHash(base),
    zone,
  };
}

/** The same event moved to another start, keeping its length in wall-clock time. */
function shifted(times: EventTimes, start: Wall): EventTimes {
  const length = wallAsUtcMs(times.end) - wallAsUtcMs(times.start);
  const d = new Date(wallAsUtcMs(start) + length);
  const end: Wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  return { ...times, start, end };
}

/** RECURRENCE-ID as an occurrence key on the series' clock. */
function recurrenceIdOn(o: ICAL.Component, times: EventTimes, zones: CalendarZones): string {
  const prop = o.getFirstProperty('recurrence-id')!;
  const rid = valuesOf(prop)[0];
  if (!(rid instanceof ICAL.Time)) throw new InputProblem('RECURRENCE-ID is not a date');
  return occurrenceKey(onClock(rid, tzidOf(prop), times.clock, zones), rid.isDate || times.isDate, times.clock.isUtc);
}

/** EXDATEs as occurrence keys (date-only EXDATEs as dates, which remove that day's occurrence). */
function exdates(m: ICAL.Component, times: EventTimes, zones: CalendarZones): Set<string> {
  const out = new Set<string>();
  for (const p of m.getAllProperties('exdate')) {
    for (const v of valuesOf(p)) {
      if (v instanceof ICAL.Time) {
        const w = onClock(v, tzidOf(p), times.clock, zones);
        out.add(v.isDate || times.isDate ? dateIso(w) : occurrenceKey(w, false, times.clock.isUtc));
      }
    }
  }
  return out;
}

/** UNTIL on the series' clock; a date-only UNTIL includes that whole day. */
function untilOnClock(until: ICAL.Time, times: EventTimes, zones: CalendarZones): Wall {
  if (until.isDate) return { ...wallOf(until), hour: times.isDate ? 0 : 23, minute: times.isDate ? 0 : 59, second: times.isDate ? 0 : 59 };
  const w = onClock(until, null, times.clock, zones);
  return times.isDate ? { ...w, hour: 0, minute: 0, second: 0 } : w;
}

function ruleText(c: ICAL.Component): string {
  try {
    return c.getFirstProperty('rrule')?.toICALString() ?? 'RDATE';
  } catch {
    return 'RRULE';
  }
}

function valueText(c: ICAL.Component, name: string): string {
  try {
    return String(c.getFirstPropertyValue(name) ?? '');
  } catch {
    return '';
  }
}

/**
 * An event's content without what exporters change on every export (UID, time stamps, sequence):
 * a re-export under a new UID hashes the same.
 */
function normalized(parts: ParsedComponent[]): [string, unknown][] {
  const VOLATILE = new Set(['uid', 'dtstamp', 'created', 'last-modified', 'sequence', 'x-microsoft-cdo-ownerapptid', 'x-moz-generation', 'x-moz-lastack', 'x-lic-error']);
  const walk = (c: ICAL.Component): unknown => [
    c.name,
    c
      .getAllProperties()
      .filter((p) => !VOLATILE.has(p.name))
      .map((p) => JSON.stringify(p.jCal))
      .sort(),
    c.getAllSubcomponents().map(walk),
  ];
  const [first, ...rest] = parts.map((p) => JSON.stringify(walk(p.component)));
  return [['event', first], ['changes', rest.sort()]];
}
