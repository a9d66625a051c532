import { findIana } from 'windows-iana';
import type { StoredEvent } from './graph-standin-pim.js';

/**
 * Calendar rules of the Graph stand-in, as Exchange applies them: which time zone names it accepts,
 * what an all-day event must look like, and how Outlook expands a patterned recurrence into
 * instances (which differs from RFC 5545 in places).
 */
type Json = Record<string, unknown>;

/**
 * IANA names Graph accepts besides every Windows zone name ("The timeZone property can be set to any
 * of the time zones supported by Windows, as well as the following time zones names":
 * https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone). Names the page lists with
 * an older spelling in parentheses are accepted in both spellings.
 */
const GRAPH_IANA_ZONES = new Set(
  `Etc/GMT+12 Etc/GMT+11 Pacific/Honolulu America/Anchorage America/Santa_Isabel America/Los_Angeles America/Phoenix
  America/Chihuahua America/Denver America/Guatemala America/Chicago America/Mexico_City America/Regina America/Bogota
  America/New_York America/Indiana/Indianapolis America/Caracas America/Asuncion America/Halifax America/Cuiaba
  America/La_Paz America/Santiago America/St_Johns America/Sao_Paulo America/Argentina/Buenos_Aires America/Cayenne
  America/Godthab America/Montevideo America/Bahia Etc/GMT+2 Atlantic/Azores Atlantic/Cape_Verde Africa/Casablanca
  Etc/GMT Europe/London Atlantic/Reykjavik Europe/Berlin Europe/Budapest Europe/Paris Europe/Warsaw Africa/Lagos
  Africa/Windhoek Europe/Bucharest Asia/Beirut Africa/Cairo Asia/Damascus Africa/Johannesburg Europe/Kyiv Europe/Kiev
  Europe/Istanbul Asia/Jerusalem Asia/Amman Asia/Baghdad Europe/Kaliningrad Asia/Riyadh Africa/Nairobi Asia/Tehran
  Asia/Dubai Asia/Baku Europe/Moscow Indian/Mauritius Asia/Tbilisi Asia/Yerevan Asia/Kabul Asia/Karachi Asia/Toshkent
  Asia/Tashkent Asia/Kolkata Asia/Colombo Asia/Kathmandu Asia/Astana Asia/Almaty Asia/Dhaka Asia/Yekaterinburg
  Asia/Yangon Asia/Rangoon Asia/Bangkok Asia/Novosibirsk Asia/Shanghai Asia/Krasnoyarsk Asia/Singapore Australia/Perth
  Asia/Taipei Asia/Ulaanbaatar Asia/Irkutsk Asia/Tokyo Asia/Seoul Australia/Adelaide Australia/Darwin Australia/Brisbane
  Australia/Sydney Pacific/Port_Moresby Australia/Hobart Asia/Yakutsk Pacific/Guadalcanal Asia/Vladivostok
  Pacific/Auckland Etc/GMT-12 Pacific/Fiji Asia/Magadan Pacific/Tongatapu Pacific/Apia Pacific/Kiritimati`.split(/\s+/),
);

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_MS = 86_400_000;

/** The IANA zone behind a name Graph accepts, or null when Graph would refuse the name. */
export function zoneToIana(zone: string): string | null {
  if (zone === 'UTC') return 'UTC';
  if (GRAPH_IANA_ZONES.has(zone)) return zone === 'Asia/Toshkent' ? 'Asia/Tashkent' : zone === 'Europe/Kyiv' ? 'Europe/Kiev' : zone;
  // A Windows zone name ("W. Europe Standard Time"): windows-iana has the CLDR mapping of all of them.
  return findIana(zone)?.[0] ?? null;
}

/** Exchange's checks on an event beyond its shape; null when it would accept it. */
export function validateEventRules(b: Json, creating: boolean): { code: string; message: string } | null {
  for (const k of ['start', 'end']) {
    const t = b[k] as Json | undefined | null;
    if (t === undefined || t === null) {
      if (creating) return { code: 'ErrorInvalidRequest', message: `The ${k} time is required.` };
      continue;
    }
    if (typeof t.dateTime !== 'string' || Number.isNaN(Date.parse(`${t.dateTime}Z`)) || typeof t.timeZone !== 'string') return { code: 'ErrorInvalidRequest', message: `Invalid ${k} (dateTime and timeZone are required).` };
    if (!zoneToIana(t.timeZone)) return { code: 'TimeZoneNotSupportedException', message: `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${t.timeZone}'.` };
  }
  const start = b.start as { dateTime: string; timeZone: string } | undefined;
  const end = b.end as { dateTime: string; timeZone: string } | undefined;
  if (b.isAllDay === true && start && end) {
    // "If true, regardless of whether it's a single-day or multi-day event, start and end time must be
    // set to midnight and be in the same time zone" (https://learn.microsoft.com/en-us/graph/api/resources/event),
    // and Exchange requires an all-day event to last at least one whole day.
    if (!start.dateTime.endsWith('T00:00:00') || !end.dateTime.endsWith('T00:00:00')) return { code: 'ErrorInvalidRequest', message: 'All-day events must start and end at midnight.' };
    if (start.timeZone !== end.timeZone) return { code: 'ErrorInvalidRequest', message: 'All-day events must start and end in the same time zone.' };
    if (Date.parse(`${end.dateTime}Z`) - Date.parse(`${start.dateTime}Z`) < DAY_MS) return { code: 'ErrorInvalidRequest', message: 'An all-day event must last at least one day.' };
  }
  const rec = b.recurrence as { pattern?: Json; range?: Json } | undefined | null;
  if (rec) {
    const p = rec.pattern ?? {};
    const r = rec.range ?? {};
    if (!p.type || !r.type || typeof r.startDate !== 'string') return { code: 'ErrorInvalidRequest', message: 'A recurrence needs a pattern type and a range with a startDate.' };
    if (r.recurrenceTimeZone !== undefined && !zoneToIana(String(r.recurrenceTimeZone))) return { code: 'TimeZoneNotSupportedException', message: `The recurrence time zone '${String(r.recurrenceTimeZone)}' is not supported.` };
    // "Invalid values error even in ignored fields" (https://learn.microsoft.com/en-us/graph/api/resources/recurrencepattern).
    if (p.dayOfMonth !== undefined && (Number(p.dayOfMonth) < 1 || Number(p.dayOfMonth) > 31)) return { code: 'ErrorInvalidRequest', message: 'dayOfMonth must be 1 to 31.' };
    if (p.month !== undefined && (Number(p.month) < 1 || Number(p.month) > 12)) return { code: 'ErrorInvalidRequest', message: 'month must be 1 to 12.' };
    if ((p.type === 'weekly' || String(p.type).startsWith('relative')) && !((p.daysOfWeek as unknown[] | undefined)?.length)) return { code: 'ErrorInvalidRequest', message: `A ${String(p.type)} pattern needs daysOfWeek.` };
  }
  return null;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * Occurrence dates of a patterned recurrence as Outlook computes them: the series starts at the first
 * date from range.startDate that fits the pattern; weeks are counted from `firstDayOfWeek`; and a
 * dayOfMonth of 29–31 falls on the last day of shorter months, where RFC 5545 skips those months
 * ("The day of the month on which the recurrence falls", MS-OXOCAL 2.2.1.44.1.5,
 * https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxocal/457a77d0-51bf-47fc-bceb-33f3f78f91b8,
 * and Outlook's own note "Some months have fewer than 31 days. For these months, the occurrence will
 * fall on the last day of the month").
 */
export function occurrenceDates(rec: { pattern: Json; range: Json }, until: string): string[] {
  const p = rec.pattern;
  const r = rec.range;
  const interval = Number(p.interval ?? 1);
  const out: string[] = [];
  const end = r.type === 'endDate' ? String(r.endDate) : until;
  const max = r.type === 'numbered' ? Number(r.numberOfOccurrences) : 5000;
  const start = new Date(`${String(r.startDate)}T00:00:00Z`);
  const days = ((p.daysOfWeek as string[] | undefined) ?? []).map((d) => WEEKDAYS.indexOf(d));
  const firstDay = WEEKDAYS.indexOf(String(p.firstDayOfWeek ?? 'sunday'));
  const index = ['first', 'second', 'third', 'fourth'].indexOf(String(p.index ?? 'first'));
  const clampedDay = (d: Date): number => Math.min(Number(p.dayOfMonth), daysInMonth(d.getUTCFullYear(), d.getUTCMonth()));
  const fits = (d: Date): boolean => {
    const sinceStart = Math.round((d.getTime() - start.getTime()) / DAY_MS);
    const monthsSince = (d.getUTCFullYear() - start.getUTCFullYear()) * 12 + d.getUTCMonth() - start.getUTCMonth();
    const nth = (): boolean => {
      if (!days.includes(d.getUTCDay())) return false;
      if (p.index === 'last') return new Date(d.getTime() + 7 * DAY_MS).getUTCMonth() !== d.getUTCMonth();
      return Math.floor((d.getUTCDate() - 1) / 7) === index;
    };
    switch (p.type) {
      case 'daily':
        return sinceStart % interval === 0;
      case 'weekly': {
        // Week number counted in weeks that begin on firstDayOfWeek (every other week differs with it).
        const offset = (start.getUTCDay() - firstDay + 7) % 7;
        return days.includes(d.getUTCDay()) && Math.floor((sinceStart + offset) / 7) % interval === 0;
      }
      case 'absoluteMonthly':
        return d.getUTCDate() === clampedDay(d) && monthsSince % interval === 0;
      case 'relativeMonthly':
        return monthsSince % interval === 0 && nth();
      case 'absoluteYearly':
        return d.getUTCMonth() + 1 === Number(p.month) && d.getUTCDate() === clampedDay(d) && monthsSince % (12 * interval) === 0;
      case 'relativeYearly':
        return d.getUTCMonth() + 1 === Number(p.month) && nth();
      default:
        return false;
    }
  };
  for (let d = new Date(start); out.length < max && d.toISOString().slice(0, 10) <= end; d = new Date(d.getTime() + DAY_MS)) {
    if (fits(d)) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** UTC instant of a wall-clock time in an IANA zone. */
function wallToUtc(wall: string, iana: string): Date {
  const guess = new Date(`${wall}Z`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(guess)
      .map((x) => [x.type, x.value]),
  );
  const asLocal = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return new Date(guess.getTime() - (asLocal - guess.getTime()));
}

/** The series' instances in a window, with originalStart in UTC as Graph gives it. */
export function instancesOf(e: StoredEvent, from: string, to: string): Json[] {
  const rec = e.body.recurrence as { pattern: Json; range: Json } | undefined;
  if (!rec) return [];
  const start = e.body.start as { dateTime: string; timeZone: string };
  const endT = e.body.end as { dateTime: string; timeZone: string };
  const iana = zoneToIana(start.timeZone) ?? 'UTC';
  const time = start.dateTime.slice(10);
  const durationMs = new Date(`${endT.dateTime}Z`).getTime() - new Date(`${start.dateTime}Z`).getTime();
  const out: Json[] = [];
  for (const date of occurrenceDates(rec, to.slice(0, 10))) {
    if (e.cancelled.has(date)) continue;
    const originalStart = wallToUtc(`${date}${time}`, iana);
    if (originalStart.toISOString() < from.replace(/Z?$/, 'Z') && date < from.slice(0, 10)) continue;
    const modified = e.modified.get(date);
    const startValue = (modified?.start as Json | undefined) ?? { dateTime: `${date}${time}`, timeZone: start.timeZone };
    out.push({
      id: `${e.id}.${date.replace(/-/g, '')}`,
      type: modified ? 'exception' : 'occurrence',
      seriesMasterId: e.id,
      originalStart: originalStart.toISOString().replace('.000Z', 'Z'),
      start: startValue,
      end: (modified?.end as Json | undefined) ?? { dateTime: new Date(new Date(`${date}${time}Z`).getTime() + durationMs).toISOString().slice(0, 19), timeZone: start.timeZone },
      subject: (modified?.subject as string | undefined) ?? e.body.subject,
    });
  }
  return out;
}
