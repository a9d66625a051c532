import ICAL from 'ical.js';
import { InputProblem } from '../pim/plan-control.js';
import type { AppointmentData, OutlookPerson } from './outlook-appointment-data.js';
import { seriesOf } from './outlook-recurrence.js';
import { zoneFromDefinition, zoneFromStruct } from './outlook-zones.js';
import { floating } from './recurrence.js';
import { CalendarZones } from './time-zones.js';
import type { ZoneDefinition } from './vtimezone.js';
import { utcToWall, type Wall } from './zone-clock.js';

/**
 * An Outlook appointment as the VEVENTs an iCalendar export of it would hold (MS-OXCICAL), so it
 * goes through the calendar's one event mapping, recurrence mapping and expansion like any .ics:
 * DTSTART/DTEND in the appointment's own zone (TZID = the Windows zone name or Outlook's display
 * name, with the zone's rules from the item), RRULE/EXDATE from the recurrence, one VEVENT with a
 * RECURRENCE-ID per changed occurrence, VALARM, busy status, class, importance, categories, and the
 * organizer and attendees (which the mapping puts into the body, never into Graph's attendees).
 * Attachments are not put into the VEVENT (no base64 copies of large files); the planner adds them.
 */
export interface OutlookVevents {
  master: ICAL.Component;
  overrides: ICAL.Component[];
  zones: CalendarZones;
  warnings: string[];
}

const BUSY = ['FREE', 'TENTATIVE', 'BUSY', 'OOF', 'WORKINGELSEWHERE'];
const CLASS = ['PUBLIC', 'PRIVATE', 'PRIVATE', 'CONFIDENTIAL'];

export function appointmentToVevents(data: AppointmentData, userZone: string, referenceYear: number): OutlookVevents {
  const warnings: string[] = [];
  const { tzid, definitions } = zoneOf(data);
  const zones = new CalendarZones(definitions, userZone, referenceYear);
  // A zone neither named the Windows way nor defined in the item: a single appointment's times are
  // exact instants anyway (Outlook stores them in UTC), so they are given on the user's clock.
  const known = tzid !== null && (data.recurrence !== null || zones.resolve(tzid).note === null);
  const clock = known ? zones.resolve(tzid).clock : null;
  const master = new ICAL.Component('vevent');
  master.addPropertyWithValue('uid', data.uid);
  master.addPropertyWithValue('summary', data.subject || '(no subject)');
  if (data.location) master.addPropertyWithValue('location', data.location);
  if (data.html) {
    const alt = master.addPropertyWithValue('x-alt-desc', data.html);
    alt.setParameter('fmttype', 'text/html');
  } else if (data.body) master.addPropertyWithValue('description', data.body);
  if (data.busyStatus !== null && BUSY[data.busyStatus]) master.addPropertyWithValue('x-microsoft-cdo-busystatus', BUSY[data.busyStatus]!);
  master.addPropertyWithValue('class', CLASS[data.sensitivity] ?? 'PUBLIC');
  if (data.sensitivity === 1) warnings.push('Outlook marked it "personal"; it was copied with normal sensitivity');
  if (data.importance !== null && data.importance >= 0 && data.importance <= 2) master.addPropertyWithValue('x-microsoft-cdo-importance', String(data.importance));
  if (data.categories.length) master.addProperty(multi('categories', data.categories));
  if (data.reminder !== null) master.addSubcomponent(alarm(data.reminder));
  if (data.cancelled) master.addPropertyWithValue('status', 'CANCELLED');
  addPeople(master, data.organizer, data.attendees);
  for (const link of data.links) {
    const attach = master.addPropertyWithValue('attach', link.path);
    attach.setParameter('x-filename', link.name);
  }

  const overrides: ICAL.Component[] = [];
  if (data.recurrence) {
    const series = seriesOf(data.recurrence, data.allDay);
    if ('unsupported' in series) throw new InputProblem(`the repeating appointment uses ${series.unsupported}, which Cutover cannot copy`);
    setTime(master, 'dtstart', series.start, data.allDay, tzid);
    setTime(master, 'dtend', series.end, data.allDay, tzid);
    master.addPropertyWithValue('rrule', ICAL.Recur.fromString(series.rule));
    for (const ex of series.excluded) setTime(master, 'exdate', ex, data.allDay, tzid, true);
    for (const change of series.changes) {
      const o = new ICAL.Component('vevent');
      o.addPropertyWithValue('uid', data.uid);
      setTime(o, 'recurrence-id', change.original, data.allDay, tzid);
      setTime(o, 'dtstart', change.start, data.allDay, tzid);
      setTime(o, 'dtend', change.end, data.allDay, tzid);
      o.addPropertyWithValue('summary', change.subject ?? (data.subject || '(no subject)'));
      const location = change.location ?? data.location;
      if (location) o.addPropertyWithValue('location', location);
      for (const name of ['x-alt-desc', 'description', 'class', 'x-microsoft-cdo-importance', 'categories', 'organizer', 'attendee']) {
        for (const prop of master.getAllProperties(name)) o.addProperty(ICAL.Property.fromString(prop.toICALString()));
      }
      const busy = change.busyStatus ?? data.busyStatus;
      if (busy !== null && BUSY[busy]) o.addPropertyWithValue('x-microsoft-cdo-busystatus', BUSY[busy]!);
      const reminder = change.reminder === undefined ? data.reminder : change.reminder;
      if (reminder !== null) o.addSubcomponent(alarm(reminder));
      if (change.bodyChanged) warnings.push(`the changed occurrence of ${change.original.year}-${pad(change.original.month)}-${pad(change.original.day)} has its own description, which was not copied`);
      overrides.push(o);
    }
  } else {
    if (data.recurrenceUnreadable) warnings.push('its repeat pattern could not be decoded, so only its first occurrence was copied');
    if (!data.start || !data.end) throw new InputProblem('the appointment has no start or end time');
    const offset = displayNameOffset(data.zoneDescription);
    const toWall = (d: Date): Wall => (clock ? clock.fromUtc(d.getTime()) : data.allDay ? nearestMidnight(d.getTime() + (offset ?? 0) * 60_000) : zones.userClock.fromUtc(d.getTime()));
    const zoneName = clock ? tzid : null;
    setTime(master, 'dtstart', toWall(data.start), data.allDay, zoneName);
    setTime(master, 'dtend', toWall(data.end), data.allDay, zoneName);
    if (data.allDay && !clock && offset === null) warnings.push('it is an all-day appointment without a time zone; its days were taken from its start in UTC');
  }
  for (const what of data.notCopied) warnings.push(`${what} was not copied`);
  return { master, overrides, zones, warnings };
}

/** The zone an appointment's times are in, and that zone's rules from the item itself. */
function zoneOf(data: AppointmentData): { tzid: string | null; definitions: Map<string, ZoneDefinition> } {
  const definitions = new Map<string, ZoneDefinition>();
  const description = data.zoneDescription?.trim() || null;
  const fromDefinition = data.recurrence ? (data.recurZone ?? data.startZone) : (data.startZone ?? data.recurZone);
  const zone = fromDefinition ? zoneFromDefinition(fromDefinition, description) : data.zoneStruct && description ? zoneFromStruct(data.zoneStruct, description) : null;
  if (zone) {
    definitions.set(zone.tzid, zone);
    return { tzid: zone.tzid, definitions };
  }
  return { tzid: description, definitions };
}

/** "(UTC+05:30) Chennai, …" → 330: the zone's standard offset, from Outlook's display name. */
function displayNameOffset(description: string | null): number | null {
  const m = /^\((?:UTC|GMT)(?:([+-])(\d{2}):(\d{2}))?\)/.exec(description?.trim() ?? '');
  if (!m) return null;
  return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** An all-day start stored as local midnight in UTC: the date of the nearest midnight (daylight saving shifts it by an hour at most). */
function nearestMidnight(ms: number): Wall {
  return { ...utcToWall(ms + 12 * 3600_000, 'UTC'), hour: 0, minute: 0, second: 0 };
}

function setTime(c: ICAL.Component, name: string, w: Wall, isDate: boolean, tzid: string | null, add = false, utc = false): void {
  const time = utc ? ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, isDate: false }, ICAL.Timezone.utcTimezone) : floating(w, isDate);
  const prop = new ICAL.Property(name);
  if (isDate) prop.resetType('date');
  prop.setValue(time);
  if (tzid && !isDate && !utc) prop.setParameter('tzid', tzid);
  if (add || !c.getFirstProperty(name)) c.addProperty(prop);
  else c.updatePropertyWithValue(name, time);
}

function multi(name: string, values: string[]): ICAL.Property {
  const prop = new ICAL.Property(name);
  prop.setValues(values);
  return prop;
}

function alarm(minutes: number): ICAL.Component {
  const a = new ICAL.Component('valarm');
  a.addPropertyWithValue('action', 'DISPLAY');
  a.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-minutes * 60));
  return a;
}

function addPeople(c: ICAL.Component, organizer: OutlookPerson | null, attendees: OutlookPerson[]): void {
  const add = (name: string, p: OutlookPerson): void => {
    const prop = c.addPropertyWithValue(name, p.email ? `mailto:${p.email}` : '');
    if (p.name) prop.setParameter('cn', p.name);
    if (p.role) prop.setParameter('role', p.role);
    if (p.response) prop.setParameter('partstat', p.response);
  };
  if (organizer) add('organizer', organizer);
  for (const a of attendees) add('attendee', a);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
