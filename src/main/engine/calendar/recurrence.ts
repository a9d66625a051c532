import ICAL from 'ical.js';
import type { GraphBody } from '../../../shared/pim-types.js';
import { graphZoneName } from './time-zones.js';

const DAY_NAMES: Record<string, string> = { SU: 'sunday', MO: 'monday', TU: 'tuesday', WE: 'wednesday', TH: 'thursday', FR: 'friday', SA: 'saturday' };
const INDEX: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };
const SUPPORTED_PARTS = new Set(['BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS']);

/**
 * RRULE → Graph patternedRecurrence, only where Graph means exactly the same series. Returns the
 * reason otherwise (the caller expands the series into single events instead of approximating).
 * Graph also starts a series at the first date that fits the pattern, silently dropping a DTSTART
 * that does not fit (RFC 5545 counts it), so such series are not mapped either.
 */
export function mapRecurrence(rule: ICAL.Recur, start: ICAL.Time, zone: string): { recurrence: GraphBody } | { unsupported: string } {
  const parts = rule.parts as Record<string, (string | number)[] | undefined>;
  const unknown = Object.keys(parts).filter((k) => !SUPPORTED_PARTS.has(k) && (parts[k]?.length ?? 0) > 0);
  if (unknown.length > 0) return { unsupported: `the rule uses ${unknown.join(', ')}` };
  const interval = rule.interval || 1;
  const byDay = (parts.BYDAY ?? []).map(String);
  const byMonthDay = (parts.BYMONTHDAY ?? []).map(Number);
  const byMonth = (parts.BYMONTH ?? []).map(Number);
  const bySetPos = (parts.BYSETPOS ?? []).map(Number);
  const startDay = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][start.dayOfWeek() - 1]!;
  let pattern: GraphBody;
  const relative = (spec: string, setPos: number | undefined): { daysOfWeek: string[]; index: string } | null => {
    const m = /^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(spec);
    if (!m) return null;
    const n = m[1] !== undefined ? Number(m[1]) : setPos;
    if (n === undefined || INDEX[n] === undefined) return null;
    return { daysOfWeek: [DAY_NAMES[m[2]!]!], index: INDEX[n]! };
  };
  switch (rule.freq) {
    case 'DAILY':
      if (byMonthDay.length || byMonth.length || bySetPos.length) return { unsupported: 'a daily rule with BYMONTHDAY/BYMONTH/BYSETPOS' };
      if (byDay.length === 0) pattern = { type: 'daily', interval };
      else if (interval === 1 && byDay.every((d) => DAY_NAMES[d])) pattern = { type: 'weekly', interval: 1, daysOfWeek: byDay.map((d) => DAY_NAMES[d]!), firstDayOfWeek: 'sunday' };
      else return { unsupported: 'a daily rule with BYDAY and an interval' };
      if (byDay.length && !byDay.includes(startDay)) return { unsupported: 'the first occurrence does not fit the rule' };
      break;
    case 'WEEKLY': {
      if (byMonthDay.length || byMonth.length || bySetPos.length) return { unsupported: 'a weekly rule with BYMONTHDAY/BYMONTH/BYSETPOS' };
      const days = byDay.length ? byDay : [startDay];
      if (!days.every((d) => DAY_NAMES[d])) return { unsupported: 'a weekly rule with numbered weekdays' };
      if (!days.includes(startDay)) return { unsupported: 'the first occurrence does not fit the rule' };
      pattern = { type: 'weekly', interval, daysOfWeek: days.map((d) => DAY_NAMES[d]!), firstDayOfWeek: DAY_NAMES[String(rule.wkst ? ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][Number(rule.wkst) - 1] : 'SU')] ?? 'sunday' };
      break;
    }
    case 'MONTHLY':
      if (byMonth.length) return { unsupported: 'a monthly rule with BYMONTH' };
      if (byDay.length === 0 && byMonthDay.length <= 1 && !bySetPos.length) {
        const day = byMonthDay[0] ?? start.day;
        if (day < 1) return { unsupported: 'a day counted from the end of the month' };
        if (day !== start.day) return { unsupported: 'the first occurrence does not fit the rule' };
        pattern = { type: 'absoluteMonthly', interval, dayOfMonth: day };
      } else if (byDay.length === 1 && !byMonthDay.length && bySetPos.length <= 1) {
        const r = relative(byDay[0]!, bySetPos[0]);
        if (!r) return { unsupported: 'a monthly weekday rule Graph cannot express' };
        pattern = { type: 'relativeMonthly', interval, ...r };
        if (!occursOn(rule, start)) return { unsupported: 'the first occurrence does not fit the rule' };
      } else return { unsupported: 'a monthly rule with several days' };
      break;
    case 'YEARLY': {
      if (byMonth.length > 1 || byMonthDay.length > 1 || byDay.length > 1) return { unsupported: 'a yearly rule with several months or days' };
      const month = byMonth[0] ?? start.month;
      if (byDay.length === 1 && !byMonthDay.length) {
        const r = relative(byDay[0]!, bySetPos[0]);
        if (!r) return { unsupported: 'a yearly weekday rule Graph cannot express' };
        pattern = { type: 'relativeYearly', interval, month, ...r };
        if (!occursOn(rule, start)) return { unsupported: 'the first occurrence does not fit the rule' };
      } else if (!byDay.length) {
        const day = byMonthDay[0] ?? start.day;
        if (day < 1 || day !== start.day || month !== start.month) return { unsupported: 'the first occurrence does not fit the rule' };
        pattern = { type: 'absoluteYearly', interval, month, dayOfMonth: day };
      } else return { unsupported: 'a yearly rule with BYDAY and BYMONTHDAY' };
      break;
    }
    default:
      return { unsupported: `FREQ=${rule.freq} has no Graph equivalent` };
  }
  const startDate = dateOf(start);
  let range: GraphBody;
  if (rule.count) range = { type: 'numbered', startDate, numberOfOccurrences: rule.count, recurrenceTimeZone: graphZoneName(zone) };
  else if (rule.until) range = { type: 'endDate', startDate, endDate: dateOf(rule.until), recurrenceTimeZone: graphZoneName(zone) };
  else range = { type: 'noEnd', startDate, recurrenceTimeZone: graphZoneName(zone) };
  return { recurrence: { pattern, range } };
}

function dateOf(t: ICAL.Time): string {
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

/**
 * Whether DTSTART is itself an occurrence of the rule's pattern: iterate the same rule from two
 * months earlier (ical.js follows RFC 5545) and see whether it produces DTSTART.
 */
function occursOn(rule: ICAL.Recur, start: ICAL.Time): boolean {
  const probe = rule.clone();
  probe.count = null;
  probe.until = null;
  const from = start.clone();
  from.adjust(-62, 0, 0, 0);
  const it = probe.iterator(from);
  it.next(); // the iterator's own start comes first whether it fits or not
  for (let i = 0; i < 40; i++) {
    const t = it.next();
    if (!t || t.compare(start) > 0) return false;
    if (t.compare(start) === 0) return true;
  }
  return false;
}
