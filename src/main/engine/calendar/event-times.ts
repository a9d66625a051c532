import ICAL from 'ical.js';
import { InputProblem } from '../pim/plan-control.js';
import type { CalendarZones, Clock } from './time-zones.js';
import { addDays, compareWall, isMidnight, wallAsUtcMs, type Wall } from './zone-clock.js';

/**
 * An event's start and end on one clock: the zone of its DTSTART (named, derived from the file's
 * VTIMEZONE, UTC, or the user's zone for floating and all-day times).
 */
export interface EventTimes {
  clock: Clock;
  start: Wall;
  end: Wall;
  allDay: boolean;
  /** DTSTART was a DATE (not a date-time). */
  isDate: boolean;
  warnings: string[];
}

/** A property's value; ical.js parses lazily, so a malformed value surfaces here and is named. */
export function valueOf(c: ICAL.Component, name: string): unknown {
  try {
    return c.getFirstPropertyValue(name);
  } catch {
    throw new InputProblem(`${name.toUpperCase()} has a value that cannot be read`);
  }
}

export function valuesOf(p: ICAL.Property): unknown[] {
  try {
    return p.getValues();
  } catch {
    throw new InputProblem(`${p.name.toUpperCase()} has a value that cannot be read`);
  }
}

export function tzidOf(p: ICAL.Property | null): string | null {
  const v = p?.getParameter('tzid');
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() ? s : null;
}

export function wallOf(t: ICAL.Time): Wall {
  return { year: t.year, month: t.month, day: t.day, hour: t.isDate ? 0 : t.hour, minute: t.isDate ? 0 : t.minute, second: t.isDate ? 0 : t.second };
}

/** A time from the file on `target`'s clock: UTC and other zones converted, floating and dates as written. */
export function onClock(t: ICAL.Time, tzid: string | null, target: Clock, zones: CalendarZones): Wall {
  const w = wallOf(t);
  if (t.isDate) return w;
  if (t.zone === ICAL.Timezone.utcTimezone) return target.isUtc ? w : target.fromUtc(wallAsUtcMs(w));
  if (!tzid) return w;
  const source = zones.resolve(tzid).clock;
  return source === target ? w : target.fromUtc(source.toUtc(w));
}

export function readTimes(vevent: ICAL.Component, zones: CalendarZones): EventTimes {
  const warnings: string[] = [];
  const startProp = vevent.getFirstProperty('dtstart');
  if (!startProp) throw new InputProblem('the event has no start (DTSTART)');
  const start = valueOf(vevent, 'dtstart');
  if (!(start instanceof ICAL.Time)) throw new InputProblem('DTSTART is not a date');
  checkYear(start);
  const tzid = tzidOf(startProp);
  let clock: Clock;
  if (start.isDate || !tzid) clock = start.zone === ICAL.Timezone.utcTimezone ? zones.resolve('UTC').clock : zones.userClock;
  else {
    const resolved = zones.resolve(tzid);
    clock = resolved.clock;
    if (resolved.note) warnings.push(resolved.note);
  }
  const startWall = onClock(start, tzid, clock, zones);

  let end: Wall;
  const dtend = vevent.getFirstProperty('dtend') ? valueOf(vevent, 'dtend') : null;
  const duration = vevent.getFirstProperty('duration') ? valueOf(vevent, 'duration') : null;
  if (dtend instanceof ICAL.Time) {
    checkYear(dtend);
    end = start.isDate && !dtend.isDate ? { ...wallOf(dtend), hour: 0, minute: 0, second: 0 } : onClock(dtend, tzidOf(vevent.getFirstProperty('dtend')), clock, zones);
  } else if (duration instanceof ICAL.Duration) {
    const ms = duration.toSeconds() * 1000;
    const d = new Date(wallAsUtcMs(startWall) + ms);
    end = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  } else end = start.isDate ? addDays(startWall, 1) : startWall; // RFC 5545: a date lasts a day; a date-time has no length

  let allDay = start.isDate;
  let s = startWall;
  // Outlook marks all-day events it wrote as midnight-to-midnight date-times with this property.
  if (!allDay && String(valueOf(vevent, 'x-microsoft-cdo-alldayevent') ?? '').toUpperCase() === 'TRUE') {
    if (isMidnight(s) && isMidnight(end)) allDay = true;
    else if (clock.isUtc) {
      const local = { start: zones.userClock.fromUtc(wallAsUtcMs(s)), end: zones.userClock.fromUtc(wallAsUtcMs(end)) };
      if (isMidnight(local.start) && isMidnight(local.end)) {
        allDay = true;
        s = local.start;
        end = local.end;
        clock = zones.userClock;
      }
    }
  }
  if (allDay) {
    s = { ...s, hour: 0, minute: 0, second: 0 };
    end = { ...end, hour: 0, minute: 0, second: 0 };
    // Exchange needs an all-day event to last at least a whole day.
    if (compareWall(end, s) <= 0) end = addDays(s, 1);
  } else if (compareWall(end, s) < 0) {
    warnings.push('the event ends before it starts; its end was set to its start');
    end = s;
  }
  return { clock, start: s, end, allDay, isDate: start.isDate, warnings };
}

/** Years Graph and the runtime read; anything else is a typo or garbage. */
function checkYear(t: ICAL.Time): void {
  if (!(t.year >= 1601 && t.year <= 4500) || !(t.month >= 1 && t.month <= 12) || !(t.day >= 1 && t.day <= 31)) {
    throw new InputProblem(`the date ${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} is not a valid date`);
  }
}
