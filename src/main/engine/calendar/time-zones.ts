import ICAL from 'ical.js';
import { findIana, findWindows } from 'windows-iana';

export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

/** The zone floating times are read in: the one given, else this computer's. */
export function localTimeZone(given: string | null): string {
  return given ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

export function isIanaZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/**
 * Finds the zone a TZID means. Calendars name zones the IANA way (Google, Apple), the Windows way
 * (Outlook: "W. Europe Standard Time"), with Mozilla prefixes (old Thunderbird) or with Outlook's
 * display names ("(UTC+01:00) Amsterdam, Berlin…"), which only the file's VTIMEZONE can explain.
 */
export function resolveTzid(tzid: string): { iana: string; windows: string | null } | null {
  const cleaned = tzid.replace(/^\/(mozilla\.org|softwarestudio\.org)\/[^/]+\/(.+)$/, '$2').replace(/^"|"$/g, '').trim();
  if (isIanaZone(cleaned)) return { iana: cleaned, windows: findWindows(cleaned)?.[0] ?? null };
  const iana = findIana(cleaned)?.[0];
  if (iana) return { iana, windows: cleaned };
  return null;
}

/** The name Graph gets: the Windows name when one exists (best supported), else the IANA one. */
export function graphZoneName(iana: string): string {
  if (iana === 'UTC' || iana === 'Etc/UTC') return 'UTC';
  return findWindows(iana)?.[0] ?? iana;
}

function wall(t: ICAL.Time): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${t.year}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
}

/**
 * An iCalendar time as Graph's { dateTime, timeZone }. Zoned times keep their wall-clock time and
 * zone; UTC stays UTC; floating times are read in the user's zone; a zone nobody can name is
 * converted to UTC through the file's own VTIMEZONE (and the caller warns).
 */
export function toGraphTime(t: ICAL.Time, tzid: string | null, userZone: string): { value: GraphDateTime; zone: string; warning?: string } {
  if (t.isDate) return { value: { dateTime: `${wall(t).slice(0, 10)}T00:00:00`, timeZone: graphZoneName(userZone) }, zone: userZone };
  if (t.zone === ICAL.Timezone.utcTimezone || (!tzid && t.zone?.tzid === 'UTC')) return { value: { dateTime: wall(t), timeZone: 'UTC' }, zone: 'UTC' };
  if (!tzid) return { value: { dateTime: wall(t), timeZone: graphZoneName(userZone) }, zone: userZone };
  const resolved = resolveTzid(tzid);
  if (resolved) return { value: { dateTime: wall(t), timeZone: resolved.windows ?? resolved.iana }, zone: resolved.iana };
  const utc = t.zone && t.zone.tzid !== 'floating' ? t.convertToZone(ICAL.Timezone.utcTimezone) : null;
  if (utc) return { value: { dateTime: wall(utc), timeZone: 'UTC' }, zone: 'UTC', warning: `time zone "${tzid}" is unknown; the time was converted to UTC using the calendar's own definition` };
  return { value: { dateTime: wall(t), timeZone: graphZoneName(userZone) }, zone: userZone, warning: `time zone "${tzid}" is unknown and undefined in the file; the time was read in ${userZone}` };
}

/**
 * The date (YYYY-MM-DD) of a time as seen in the event's zone. A UTC time (EXDATE/RECURRENCE-ID
 * written with Z) is converted; a zoned or floating one is already in the event's wall clock.
 */
export function localDate(t: ICAL.Time, zone: string): string {
  if (t.isDate || t.zone !== ICAL.Timezone.utcTimezone) return wall(t).slice(0, 10);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t.toJSDate());
}

export { wall as wallClock };
