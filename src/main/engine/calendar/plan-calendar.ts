import ICAL from 'ical.js';
import type { GraphBody, PlannedEvent, SkippedItem } from '../../../shared/pim-types.js';
import { readSourceFiles } from '../pim/read-source-files.js';
import { contentHash, sourceKey } from '../pim/source-identity.js';
import { mapEvent, type EventAttachment } from './event-mapper.js';
import { mapRecurrence } from './recurrence.js';
import { localDate, toGraphTime } from './time-zones.js';

export interface CalendarSourceText {
  origin: string;
  content: string;
}

export interface InternalPlannedEvent extends PlannedEvent {
  key: string;
  hash: string;
  attachments: EventAttachment[];
  /** IANA zone of the event's wall-clock times (for matching occurrences). */
  zone: string;
}

export interface InternalCalendarPlan {
  items: InternalPlannedEvent[];
  skipped: SkippedItem[];
}

/** Series Graph cannot express are expanded up to this far past today, and never beyond this many. */
const EXPANSION_YEARS = 2;
const EXPANSION_MAX = 500;

/**
 * Reads iCalendar text (Outlook, Google, Apple, Thunderbird; several calendars per file) and plans
 * the Graph events: series with exact Graph equivalents, cancelled and changed occurrences, and
 * series expanded into single events where Graph has no equivalent. Nothing here touches the network.
 */
export function planCalendar(sources: CalendarSourceText[], userZone: string, now = new Date()): InternalCalendarPlan {
  const items: InternalPlannedEvent[] = [];
  const skipped: SkippedItem[] = [];
  for (const { origin, content } of sources) {
    let calendars: ICAL.Component[];
    try {
      const parsed = ICAL.parse(content.replace(/^\uFEFF/, '')) as unknown;
      const list = Array.isArray(parsed) && Array.isArray(parsed[0]) ? (parsed as unknown[]) : [parsed];
      calendars = list.map((jcal) => new ICAL.Component(jcal as unknown[])).filter((c) => c.name === 'vcalendar');
      if (calendars.length === 0) throw new Error('no VCALENDAR in the file');
    } catch (err) {
      skipped.push({ source: { file: origin, uid: '' }, reason: `unreadable calendar file: ${(err as Error).message}` });
      continue;
    }
    for (const cal of calendars) {
      for (const tz of cal.getAllSubcomponents('vtimezone')) {
        try {
          ICAL.TimezoneService.register(tz);
        } catch {
          // A broken VTIMEZONE only matters if an event uses it; that event then reports it.
        }
      }
      for (const kind of ['vtodo', 'vjournal'] as const) {
        for (const c of cal.getAllSubcomponents(kind)) {
          skipped.push({ source: { file: origin, uid: String(c.getFirstPropertyValue('uid') ?? '') }, reason: `${kind === 'vtodo' ? 'tasks (VTODO)' : 'journal entries (VJOURNAL)'} are not copied` });
        }
      }
      const byUid = new Map<string, { master: ICAL.Component | null; overrides: ICAL.Component[] }>();
      cal.getAllSubcomponents('vevent').forEach((ev, index) => {
        const uid = String(ev.getFirstPropertyValue('uid') ?? '').trim() || `event-${index + 1}-${contentHash(ev.toString())}`;
        const group = byUid.get(uid) ?? { master: null, overrides: [] };
        if (ev.getFirstProperty('recurrence-id')) group.overrides.push(ev);
        else group.master = ev;
        byUid.set(uid, group);
      });
      for (const [uid, group] of byUid) {
        const source = { file: origin, uid };
        try {
          items.push(...planSeries(origin, uid, group.master, group.overrides, userZone, now));
        } catch (err) {
          skipped.push({ source, reason: `could not be converted: ${(err as Error).message}` });
        }
      }
    }
  }
  return { items, skipped };
}

function planSeries(origin: string, uid: string, master: ICAL.Component | null, overrides: ICAL.Component[], userZone: string, now: Date): InternalPlannedEvent[] {
  const key = sourceKey(origin, uid);
  if (!master) {
    // Only changed occurrences were exported (Google does this for shared series): single events.
    return overrides.map((o, i) => finish(origin, `${uid}/${i + 1}`, `${key}/${i + 1}`, mapEvent(o, `${key}/${i + 1}`, userZone), [], []));
  }
  const mapped = mapEvent(master, key, userZone);
  const rrule = master.getFirstPropertyValue('rrule');
  const hasRdate = master.getAllProperties('rdate').length > 0;
  if (!(rrule instanceof ICAL.Recur) && !hasRdate) {
    return [finish(origin, uid, key, mapped, [], [])];
  }
  const start = master.getFirstPropertyValue('dtstart') as ICAL.Time;
  const multipleRules = master.getAllProperties('rrule').length > 1;
  const recurrence = rrule instanceof ICAL.Recur && !hasRdate && !multipleRules ? mapRecurrence(rrule, start, mapped.zone) : { unsupported: hasRdate ? 'the series has extra dates (RDATE)' : 'the series has several rules' };
  if ('recurrence' in recurrence) {
    mapped.graph.recurrence = recurrence.recurrence;
    const cancelled = new Set<string>();
    for (const p of master.getAllProperties('exdate')) for (const v of p.getValues()) if (v instanceof ICAL.Time) cancelled.add(localDate(v, mapped.zone));
    const modified: { originalStart: string; graph: GraphBody }[] = [];
    for (const o of overrides) {
      const rid = o.getFirstPropertyValue('recurrence-id') as ICAL.Time;
      const ridProp = o.getFirstProperty('recurrence-id')!;
      if (String(o.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') {
        cancelled.add(localDate(rid, mapped.zone));
        continue;
      }
      const original = toGraphTime(rid, (ridProp.getParameter('tzid') as string | undefined) ?? null, userZone).value;
      const change = mapEvent(o, key, userZone, { partial: true });
      mapped.warnings.push(...change.warnings.map((w) => `occurrence ${original.dateTime}: ${w}`));
      modified.push({ originalStart: `${original.dateTime}${original.timeZone === 'UTC' ? 'Z' : ''}`, graph: change.graph });
    }
    return [finish(origin, uid, key, mapped, [...cancelled].sort(), modified)];
  }
  return expandSeries(origin, uid, key, master, overrides, userZone, now, recurrence.unsupported);
}

/**
 * A series Graph cannot represent becomes single events, one per occurrence, from its start to
 * EXPANSION_YEARS after today (or its end), each saying so in its body.
 */
function expandSeries(origin: string, uid: string, key: string, master: ICAL.Component, overrides: ICAL.Component[], userZone: string, now: Date, why: string): InternalPlannedEvent[] {
  const event = new ICAL.Event(master, { strictExceptions: false });
  for (const o of overrides) event.relateException(o);
  const limit = ICAL.Time.fromJSDate(new Date(now.getFullYear() + EXPANSION_YEARS, now.getMonth(), now.getDate()), true);
  const it = event.iterator();
  const out: InternalPlannedEvent[] = [];
  const rule = String(master.getFirstProperty('rrule')?.toICALString() ?? 'RDATE');
  for (let next = it.next(); next && out.length < EXPANSION_MAX; next = it.next()) {
    if (next.compare(limit) > 0) break;
    const details = event.getOccurrenceDetails(next);
    const item = details.item.component;
    if (String(item.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
    const occurrenceId = `${key}@${next.toString()}`;
    const mapped = mapEvent(item, occurrenceId, userZone);
    const startProp = item.getFirstProperty('dtstart')!;
    mapped.graph.start = toGraphTime(details.startDate, (startProp.getParameter('tzid') as string | undefined) ?? null, userZone).value;
    mapped.graph.end = toGraphTime(details.endDate, (item.getFirstProperty('dtend')?.getParameter('tzid') as string | undefined) ?? (startProp.getParameter('tzid') as string | undefined) ?? null, userZone).value;
    const body = mapped.graph.body as { contentType: string; content: string };
    body.content += `<p><em>One occurrence of a repeating series that Outlook cannot represent exactly (${escape(rule)}); copied as single events up to ${EXPANSION_YEARS} years ahead.</em></p>`;
    mapped.warnings.push(`repeating series expanded into single events because ${why}`);
    out.push(finish(origin, `${uid}@${next.toString()}`, occurrenceId, mapped, [], []));
  }
  if (out.length >= EXPANSION_MAX) out[out.length - 1]!.warnings.push(`only the first ${EXPANSION_MAX} occurrences were copied`);
  return out;
}

function finish(origin: string, uid: string, key: string, mapped: ReturnType<typeof mapEvent>, cancelled: string[], modified: { originalStart: string; graph: GraphBody }[]): InternalPlannedEvent {
  const hash = contentHash(JSON.stringify([mapped.graph, cancelled, modified, mapped.attachments.map((a) => [a.name, contentHash(a.data.toString('base64'))])]));
  return { source: { file: origin, uid }, graph: mapped.graph, warnings: [...new Set(mapped.warnings)], cancelledOccurrences: cancelled, modifiedOccurrences: modified, key, hash, attachments: mapped.attachments, zone: mapped.zone };
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** Reads .ics files; see readSourceFiles. */
export const readCalendarFiles = readSourceFiles;
