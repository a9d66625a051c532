import { minutesSince1601, type AppointmentRecur } from '../outlook/outlook-blobs.js';
import { addDays, type Wall } from './zone-clock.js';

/**
 * An Outlook recurrence (MS-OXOCAL AppointmentRecurrencePattern, decoded by msgreader) as an
 * RRULE plus EXDATEs and changed occurrences, in the series' local time, the way MS-OXCICAL
 * §2.1.3.2.1 converts it. Outlook's "day 29, 30 or 31 of the month" means that day or the month's
 * last day when it is shorter; RFC 5545 would skip those months, so it becomes "the last of days
 * 28…N" (BYMONTHDAY=28,…,N;BYSETPOS=-1), which names exactly Outlook's dates.
 */
export interface OutlookSeries {
  start: Wall;
  end: Wall;
  rule: string;
  excluded: Wall[];
  changes: OccurrenceChange[];
}

export interface OccurrenceChange {
  original: Wall;
  start: Wall;
  end: Wall;
  subject?: string;
  location?: string;
  busyStatus?: number;
  /** Minutes, null for "no reminder", undefined when the occurrence keeps the series' reminder. */
  reminder?: number | null;
  bodyChanged: boolean;
}

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAILY = 0x200a;
const YEARLY = 0x200d;
const END_AFTER_DATE = 0x2021;
const END_AFTER_COUNT = 0x2022;
const ARO = { subject: 0x1, reminderDelta: 0x4, reminder: 0x8, location: 0x10, busy: 0x20, body: 0x200 };

export function seriesOf(recur: AppointmentRecur, allDay: boolean): OutlookSeries | { unsupported: string } {
  const p = recur.recurrencePattern;
  if (p.calendarType > 2) return { unsupported: `a non-Gregorian calendar (calendar type ${p.calendarType})` };
  const first = wall(p.startDate);
  const start = plusMinutes(first, recur.startTimeOffset);
  const end = plusMinutes(first, recur.endTimeOffset);
  const parts: string[] = [];
  const days = (bits: number): string => DAYS.filter((_, i) => (bits & (1 << i)) !== 0).join(',');
  const yearly = p.recurFrequency === YEARLY;
  // The shortest the month(s) of the series can be: every month for a monthly series, the one month of a yearly one.
  const shortest = yearly ? (start.month === 2 ? 28 : [4, 6, 9, 11].includes(start.month) ? 30 : 31) : 28;
  const monthDay = (day: number): string => (day <= shortest ? `BYMONTHDAY=${day}` : day >= 31 && !yearly ? 'BYMONTHDAY=-1' : `BYMONTHDAY=${range(shortest, Math.min(day, 31)).join(',')};BYSETPOS=-1`);
  const interval = yearly ? Math.max(1, Math.round(p.period / 12)) : p.period;
  switch (p.patternType) {
    case 0: // Day: the period is in minutes
      if (p.period < 1440 || p.period % 1440 !== 0) return { unsupported: `a daily pattern of ${p.period} minutes` };
      parts.push('FREQ=DAILY', `INTERVAL=${p.period / 1440}`);
      break;
    case 1: {
      const list = days(p.patternTypeWeek?.dayOfWeekBits ?? 0);
      if (!list) return { unsupported: 'a weekly pattern without weekdays' };
      parts.push('FREQ=WEEKLY', `INTERVAL=${p.recurFrequency === DAILY ? 1 : interval}`, `BYDAY=${list}`, `WKST=${DAYS[p.firstDOW] ?? 'SU'}`);
      break;
    }
    case 2:
    case 4: {
      const day = p.patternType === 4 ? 31 : (p.patternTypeMonth?.day ?? start.day);
      parts.push(yearly ? 'FREQ=YEARLY' : 'FREQ=MONTHLY', `INTERVAL=${interval}`, ...(yearly ? [`BYMONTH=${start.month}`] : []), monthDay(day));
      break;
    }
    case 3: {
      const nth = p.patternTypeMonthNth;
      const list = days(nth?.dayOfWeekBits ?? 0);
      if (!nth || !list) return { unsupported: 'a monthly pattern without weekdays' };
      parts.push(yearly ? 'FREQ=YEARLY' : 'FREQ=MONTHLY', `INTERVAL=${interval}`, ...(yearly ? [`BYMONTH=${start.month}`] : []), `BYDAY=${list}`, `BYSETPOS=${nth.n >= 5 ? -1 : nth.n}`);
      break;
    }
    default:
      return { unsupported: `a pattern of the Hijri calendar (pattern type ${p.patternType})` };
  }
  if (p.endType === END_AFTER_COUNT && p.occurrenceCount > 0) parts.push(`COUNT=${p.occurrenceCount}`);
  else if (p.endType === END_AFTER_DATE) {
    const last = wall(p.endDate);
    parts.push(`UNTIL=${last.year}${pad(last.month)}${pad(last.day)}`);
  }

  // Deleted dates hold every occurrence taken out of the pattern, moved ones included; the moved
  // ones come back as changes at their new time (ExceptionInfo), the others are cancelled.
  const changes: OccurrenceChange[] = recur.exceptionInfo.map((e) => {
    const f = e.overrideFlags;
    return {
      original: wall(e.originalStartTime),
      start: wall(e.startDateTime),
      end: wall(e.endDateTime),
      ...(f & ARO.subject && e.subject !== undefined ? { subject: e.subject } : {}),
      ...(f & ARO.location && e.location !== undefined ? { location: e.location } : {}),
      ...(f & ARO.busy && e.busyStatus !== undefined ? { busyStatus: e.busyStatus } : {}),
      ...(f & ARO.reminder ? { reminder: e.reminderSet ? (e.reminderDelta ?? 15) : null } : f & ARO.reminderDelta && e.reminderDelta !== undefined ? { reminder: e.reminderDelta } : {}),
      bodyChanged: (f & ARO.body) !== 0,
    };
  });
  const changedDays = new Set(changes.map((c) => dayKey(c.original)));
  const excluded = p.deletedInstanceDates
    .map(wall)
    .filter((d) => !changedDays.has(dayKey(d)))
    .map((d) => (allDay ? d : plusMinutes(d, recur.startTimeOffset)));
  return { start: allDay ? { ...start, hour: 0, minute: 0, second: 0 } : start, end: allDay ? dayEnd(first, end) : end, rule: parts.join(';'), excluded, changes };
}

function wall(minutes: number): Wall {
  const d = minutesSince1601(minutes);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 };
}

function plusMinutes(w: Wall, minutes: number): Wall {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) + minutes * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 };
}

/** An all-day occurrence ends at a midnight at least a day after its start. */
function dayEnd(first: Wall, end: Wall): Wall {
  const e = { ...end, hour: 0, minute: 0, second: 0 };
  return Date.UTC(e.year, e.month - 1, e.day) <= Date.UTC(first.year, first.month - 1, first.day) ? addDays(first, 1) : e;
}

function dayKey(w: Wall): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
