import ICAL from 'ical.js';
import { wallAsUtcMs, type Wall } from './zone-clock.js';

/**
 * A file's own VTIMEZONE, read into plain rules and checked before anything uses it. Only yearly
 * rules are accepted (RFC 5545 time zones change at most a few times a year); a rule that repeats
 * every second, minute, hour, day, week or month is rejected with the zone's name, which is what
 * keeps a 400-byte file from expanding millions of transitions.
 */
export interface Observance {
  kind: 'standard' | 'daylight';
  /** Minutes east of UTC. */
  offsetFrom: number;
  offsetTo: number;
  start: Wall;
  rule: YearlyRule | null;
  /** Extra transition dates (local time, before the change). */
  dates: Wall[];
}

export interface YearlyRule {
  month: number;
  /** 0 = Sunday … 6 = Saturday, with the nth (1…5, -1 = last) in the month; or null for a fixed day. */
  weekday: number | null;
  nth: number | null;
  /** BYMONTHDAY: a fixed day, or with a weekday the days it may fall on ("the Sunday on or after the 8th"). */
  monthDays: number[];
  untilYear: number | null;
  /** Last year the rule applies, from COUNT. */
  lastYear: number | null;
}

export interface ZoneDefinition {
  tzid: string;
  observances: Observance[];
  /** X-LIC-LOCATION (an IANA name some writers add). */
  location: string | null;
}

const MAX_OBSERVANCES = 200;
const MAX_DATES = 1000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

export function readVtimezone(c: ICAL.Component): { tzid: string; zone: ZoneDefinition } | { tzid: string; rejected: string } {
  const tzid = String(c.getFirstPropertyValue('tzid') ?? '').trim();
  if (!tzid) return { tzid, rejected: 'a time zone without a TZID was ignored' };
  const parts = [...c.getAllSubcomponents('standard'), ...c.getAllSubcomponents('daylight')];
  if (parts.length > MAX_OBSERVANCES) return { tzid, rejected: `time zone "${tzid}" has ${parts.length} rules, more than Cutover reads; it was ignored` };
  const observances: Observance[] = [];
  let dates = 0;
  for (const part of parts) {
    const from = offsetOf(part.getFirstPropertyValue('tzoffsetfrom'));
    const to = offsetOf(part.getFirstPropertyValue('tzoffsetto'));
    const start = part.getFirstPropertyValue('dtstart');
    if (from === null || to === null || !(start instanceof ICAL.Time)) return { tzid, rejected: `time zone "${tzid}" has a rule without offsets or start; it was ignored` };
    const rules = part.getAllProperties('rrule');
    if (rules.length > 1) return { tzid, rejected: `time zone "${tzid}" has a rule with several RRULEs; it was ignored` };
    let rule: YearlyRule | null = null;
    const recur = rules[0]?.getFirstValue();
    if (recur instanceof ICAL.Recur) {
      const checked = yearlyRule(recur, start);
      if (typeof checked === 'string') return { tzid, rejected: `time zone "${tzid}" ${checked}; only yearly rules are accepted, so the zone was ignored` };
      rule = checked;
    }
    const extra: Wall[] = [];
    for (const p of part.getAllProperties('rdate')) {
      for (const v of p.getValues()) {
        if (++dates > MAX_DATES) return { tzid, rejected: `time zone "${tzid}" lists more than ${MAX_DATES} change dates; it was ignored` };
        const t = v instanceof ICAL.Time ? v : v instanceof ICAL.Period ? v.start : null;
        if (t) extra.push(wallOf(t));
      }
    }
    observances.push({ kind: part.name === 'daylight' ? 'daylight' : 'standard', offsetFrom: from, offsetTo: to, start: wallOf(start), rule, dates: extra });
  }
  if (observances.length === 0) return { tzid, rejected: `time zone "${tzid}" has no STANDARD or DAYLIGHT rule; it was ignored` };
  const location = c.getFirstPropertyValue('x-lic-location');
  return { tzid, zone: { tzid, observances, location: typeof location === 'string' && location.trim() ? location.trim() : null } };
}

function yearlyRule(r: ICAL.Recur, start: ICAL.Time): YearlyRule | string {
  if (r.freq !== 'YEARLY') return `has a rule that repeats ${String(r.freq ?? 'at an unknown frequency').toLowerCase()}`;
  if ((r.interval ?? 1) !== 1) return 'has a rule that skips years';
  const parts = r.parts as Record<string, (string | number)[] | undefined>;
  const unexpected = Object.keys(parts).filter((k) => !['BYMONTH', 'BYDAY', 'BYMONTHDAY'].includes(k) && (parts[k]?.length ?? 0) > 0);
  if (unexpected.length) return `has a yearly rule with ${unexpected.join(', ')}`;
  const months = (parts.BYMONTH ?? []).map(Number);
  const days = (parts.BYDAY ?? []).map(String);
  const monthDays = (parts.BYMONTHDAY ?? []).map(Number);
  if (months.length > 1 || days.length > 1 || monthDays.length > 7) return 'has a yearly rule with more than one change a year';
  let weekday: number | null = null;
  let nth: number | null = null;
  if (days.length === 1) {
    const m = /^([+-]?\d)?([A-Z]{2})$/.exec(days[0]!);
    if (!m || !WEEKDAYS.includes(m[2]!)) return 'has a yearly rule with an unreadable weekday';
    weekday = WEEKDAYS.indexOf(m[2]!);
    nth = m[1] !== undefined ? Number(m[1]) : null;
    if (nth === null && monthDays.length === 0) return 'has a yearly rule with a weekday but no week';
  }
  if (monthDays.some((d) => d < 1 || d > 31)) return 'has a yearly rule with a day outside the month';
  const lastYear = r.count ? start.year + r.count - 1 : null;
  return { month: months[0] ?? start.month, weekday, nth, monthDays: monthDays.length ? monthDays : weekday === null ? [start.day] : [], untilYear: r.until ? r.until.year : null, lastYear };
}

/** "+0100", "-0530", "+01:00", "+010000" → minutes east of UTC. */
function offsetOf(v: unknown): number | null {
  if (v instanceof ICAL.UtcOffset) return v.toSeconds() / 60;
  const m = /^([+-])(\d{2}):?(\d{2})(?::?(\d{2}))?$/.exec(String(v ?? '').trim());
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function wallOf(t: ICAL.Time): Wall {
  return { year: t.year, month: t.month, day: t.day, hour: t.isDate ? 0 : t.hour, minute: t.isDate ? 0 : t.minute, second: t.isDate ? 0 : t.second };
}

export interface Transition {
  /** UTC instant of the change. */
  utcMs: number;
  /** Local date of the change, in the time before it. */
  local: Wall;
  kind: 'standard' | 'daylight';
  offsetFrom: number;
  offsetTo: number;
}

/** The changes a zone definition makes in one year, in order. */
export function transitionsIn(zone: ZoneDefinition, year: number): Transition[] {
  const out: Transition[] = [];
  for (const o of zone.observances) {
    const push = (local: Wall): void => {
      if (wallAsUtcMs(local) < wallAsUtcMs(o.start)) return;
      out.push({ utcMs: wallAsUtcMs(local) - o.offsetFrom * 60000, local, kind: o.kind, offsetFrom: o.offsetFrom, offsetTo: o.offsetTo });
    };
    if (o.rule) {
      const r = o.rule;
      if (year < o.start.year || (r.untilYear !== null && year > r.untilYear) || (r.lastYear !== null && year > r.lastYear)) {
        // outside the rule's years
      } else {
        const day = dayOfRule(r, year);
        if (day !== null) push({ year, month: r.month, day, hour: o.start.hour, minute: o.start.minute, second: o.start.second });
      }
    } else if (o.dates.length === 0 && o.start.year === year) push(o.start);
    for (const d of o.dates) if (d.year === year) push(d);
  }
  return out.sort((a, b) => a.utcMs - b.utcMs);
}

function dayOfRule(r: YearlyRule, year: number): number | null {
  const daysInMonth = daysIn(year, r.month);
  if (r.weekday === null) return r.monthDays[0]! <= daysInMonth ? r.monthDays[0]! : null;
  const firstDow = dayOfWeek(year, r.month, 1);
  const firstMatch = 1 + ((r.weekday - firstDow + 7) % 7);
  if (r.monthDays.length) {
    for (let d = firstMatch; d <= daysInMonth; d += 7) if (r.monthDays.includes(d)) return d;
    return null;
  }
  const nth = r.nth!;
  if (nth > 0) {
    const d = firstMatch + (nth - 1) * 7;
    // Windows writes "week 5" for "the last": a fifth weekday the month lacks means the last one.
    return d <= daysInMonth ? d : firstMatch + Math.floor((daysInMonth - firstMatch) / 7) * 7;
  }
  const last = firstMatch + Math.floor((daysInMonth - firstMatch) / 7) * 7;
  const d = last + (nth + 1) * 7;
  return d >= 1 ? d : null;
}

export function daysIn(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

function dayOfWeek(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCDay();
}

/** The zone's offset (minutes east of UTC) at a UTC instant, by its own rules. */
export function definitionOffsetAt(zone: ZoneDefinition, utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const changes = [...transitionsIn(zone, year - 1), ...transitionsIn(zone, year)].filter((t) => t.utcMs <= utcMs);
  if (changes.length) return changes[changes.length - 1]!.offsetTo;
  // Before any change this year or last: the latest change of earlier years (bounded look-back), else standard time.
  for (let y = year - 2; y >= year - 50; y--) {
    const t = transitionsIn(zone, y);
    if (t.length) return t[t.length - 1]!.offsetTo;
  }
  return (zone.observances.find((o) => o.kind === 'standard') ?? zone.observances[0]!).offsetTo;
}

/** The UTC instant of a wall-clock time in a zone the file defines. */
export function definitionWallToUtc(zone: ZoneDefinition, w: Wall): number {
  const asUtc = wallAsUtcMs(w);
  const guess = asUtc - definitionOffsetAt(zone, asUtc) * 60000;
  return asUtc - definitionOffsetAt(zone, guess) * 60000;
}
