import type { TransitionSystemTime, TzDefinition, TzReg } from '../outlook/outlook-blobs.js';
import type { Observance, ZoneDefinition } from './vtimezone.js';

/**
 * An appointment's own time zone (Outlook's TZDEFINITION or the older TZREG structure) as the same
 * rules a VTIMEZONE gives, so the calendar's zone matching (`CalendarZones`) treats both alike: a
 * Windows zone name is used as it is, anything else is matched against the Windows zones by its
 * offsets and change dates, and a zone no Windows zone matches is converted with its own rules.
 * Windows counts `bias` in minutes west of UTC; week 5 of a month means its last such weekday.
 */
export function zoneFromDefinition(def: TzDefinition, fallbackName: string | null): ZoneDefinition | null {
  const tzid = def.keyName?.trim() || fallbackName;
  if (!tzid || def.rules.length === 0) return null;
  const rules = [...def.rules].map((r) => ({ ...r, year: r.start ? new Date(r.start).getUTCFullYear() : 1601 })).sort((a, b) => a.year - b.year);
  const observances: Observance[] = [];
  for (const [i, r] of rules.entries()) {
    const untilYear = rules[i + 1] ? rules[i + 1]!.year - 1 : null;
    observances.push(...observancesOf(r, r.year, untilYear));
  }
  return observances.length ? { tzid, observances, location: null } : null;
}

export function zoneFromStruct(reg: TzReg, tzid: string): ZoneDefinition | null {
  const observances = observancesOf({ ...reg }, 1601, null);
  return observances.length ? { tzid, observances, location: null } : null;
}

interface WindowsRule {
  bias: number;
  standardBias: number;
  daylightBias: number;
  standardDate: TransitionSystemTime;
  daylightDate: TransitionSystemTime;
}

function observancesOf(r: WindowsRule, fromYear: number, untilYear: number | null): Observance[] {
  const standard = -(r.bias + r.standardBias);
  const daylight = -(r.bias + r.daylightBias);
  const start = (t: TransitionSystemTime) => ({ year: fromYear, month: 1, day: 1, hour: clamp(t.hour, 23), minute: clamp(t.minute, 59), second: 0 });
  if (r.daylightDate.month === 0 || r.standardDate.month === 0 || standard === daylight) {
    return [{ kind: 'standard', offsetFrom: standard, offsetTo: standard, start: { year: fromYear, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, rule: null, dates: [] }];
  }
  const rule = (t: TransitionSystemTime) => ({
    month: clamp(t.month, 12) || 1,
    weekday: clamp(t.dayOfWeek, 6),
    nth: t.day >= 5 ? -1 : Math.max(1, t.day),
    monthDays: [],
    untilYear,
    lastYear: null,
  });
  return [
    { kind: 'daylight', offsetFrom: standard, offsetTo: daylight, start: start(r.daylightDate), rule: rule(r.daylightDate), dates: [] },
    { kind: 'standard', offsetFrom: daylight, offsetTo: standard, start: start(r.standardDate), rule: rule(r.standardDate), dates: [] },
  ];
}

function clamp(n: number, max: number): number {
  return Math.min(Math.max(0, Math.trunc(n) || 0), max);
}
