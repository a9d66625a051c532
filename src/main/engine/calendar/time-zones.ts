import { findIana, findWindows } from 'windows-iana';
import { matchWindowsZone, windowsZoneByDisplayName, zoneMatchesDefinition } from './zone-matching.js';
import { definitionOffsetAt, definitionWallToUtc, type ZoneDefinition } from './vtimezone.js';
import { utcToWall, wallAsUtcMs, wallIso, wallToUtc, type Wall } from './zone-clock.js';

export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

/** The zone floating times are read in: the one given, else this computer's. */
export function localTimeZone(given: string | null): string {
  return given ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

export function isIanaZone(name: string): boolean {
  if (!name.includes('/') && name !== 'UTC') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The name Graph gets: the Windows name when one exists (best supported), else the IANA one. */
export function graphZoneName(iana: string): string {
  if (iana === 'UTC' || iana === 'Etc/UTC' || iana === 'Etc/GMT') return 'UTC';
  return findWindows(iana)?.[0] ?? iana;
}

/**
 * A clock the wall-clock times of one event or series are read on: an IANA zone (named in the
 * file, derived from its VTIMEZONE, or the user's for floating times), UTC, or — when nothing
 * else fits — the file's own zone definition, whose times go to Graph converted to UTC.
 */
export interface Clock {
  /** IANA zone of the wall times ('UTC' for UTC and for times converted from a file-only zone). */
  iana: string;
  /** Graph's name for the zone of what is sent. */
  graphZone: string;
  /** Whether Graph may repeat an event on this clock (a file-only zone has no Graph name). */
  patterns: boolean;
  /** Wall times on this clock are UTC (written with "Z"). */
  isUtc: boolean;
  toUtc(w: Wall): number;
  fromUtc(ms: number): Wall;
  /** What Graph gets for a wall time on this clock. */
  graph(w: Wall): GraphDateTime;
}

export function ianaClock(iana: string): Clock {
  const graphZone = graphZoneName(iana);
  return { iana, graphZone, patterns: true, isUtc: iana === 'UTC', toUtc: (w) => wallToUtc(w, iana), fromUtc: (ms) => utcToWall(ms, iana), graph: (w) => ({ dateTime: wallIso(w), timeZone: graphZone }) };
}

export const UTC_CLOCK: Clock = {
  iana: 'UTC',
  graphZone: 'UTC',
  patterns: true,
  isUtc: true,
  toUtc: (w) => wallAsUtcMs(w),
  fromUtc: (ms) => utcToWall(ms, 'UTC'),
  graph: (w) => ({ dateTime: wallIso(w), timeZone: 'UTC' }),
};

function definedClock(def: ZoneDefinition): Clock {
  return {
    iana: 'UTC',
    graphZone: 'UTC',
    patterns: false,
    isUtc: false,
    toUtc: (w) => definitionWallToUtc(def, w),
    fromUtc: (ms) => utcToWall(ms + definitionOffsetAt(def, ms) * 60000, 'UTC'),
    graph: (w) => ({ dateTime: wallIso(utcToWall(definitionWallToUtc(def, w), 'UTC')), timeZone: 'UTC' }),
  };
}

export interface ZoneResolution {
  clock: Clock;
  /** Said once per event that uses the zone, when something had to be assumed. */
  note: string | null;
}

const UTC_NAMES = new Set(['utc', 'z', 'gmt', 'etc/utc', 'etc/gmt', 'greenwich standard time', 'coordinated universal time']);

/**
 * The time zones of one calendar file: TZID → clock. Calendars name zones the IANA way (Google,
 * Apple), the Windows way (Outlook: "W. Europe Standard Time"), with Mozilla prefixes (old
 * Thunderbird), with Outlook's display names ("(UTC+01:00) Amsterdam, Berlin, …") or as
 * "Customized Time Zone"; for the last two only the file's own VTIMEZONE says what is meant, so its
 * offsets and change rules are matched against every Windows zone (southern hemisphere included).
 * A zone the file defines is never replaced by UTC or the user's zone.
 */
export class CalendarZones {
  private readonly cache = new Map<string, ZoneResolution>();
  readonly userClock: Clock;

  constructor(
    private readonly definitions: Map<string, ZoneDefinition | { rejected: string }>,
    private readonly userZone: string,
    private readonly referenceYear: number,
  ) {
    this.userClock = ianaClock(userZone);
  }

  resolve(tzid: string | null): ZoneResolution {
    if (!tzid) return { clock: this.userClock, note: null };
    let r = this.cache.get(tzid);
    if (!r) {
      r = this.find(tzid);
      this.cache.set(tzid, r);
    }
    return r;
  }

  private find(tzid: string): ZoneResolution {
    const name = tzid.replace(/^\/(mozilla\.org|softwarestudio\.org)\/[^/]+\/(.+)$/, '$2').replace(/^"|"$/g, '').trim();
    if (UTC_NAMES.has(name.toLowerCase())) return { clock: UTC_CLOCK, note: null };
    if (isIanaZone(name)) return { clock: ianaClock(name), note: null };
    const windowsIana = findIana(name)?.[0];
    if (windowsIana) return { clock: windowsClock(name, windowsIana), note: null };

    const definition = this.definitions.get(tzid) ?? this.definitions.get(name);
    const byDisplayName = windowsZoneByDisplayName(name);
    if (definition && !('rejected' in definition)) {
      const def = definition;
      if (byDisplayName && zoneMatchesDefinition(byDisplayName.iana, def, this.referenceYear)) return { clock: windowsClock(byDisplayName.windows, byDisplayName.iana), note: null };
      if (def.location && isIanaZone(def.location) && zoneMatchesDefinition(def.location, def, this.referenceYear)) return { clock: ianaClock(def.location), note: null };
      const match = matchWindowsZone(def, this.referenceYear, name);
      if (match?.exact) return { clock: windowsClock(match.windows, match.iana), note: null };
      if (match) return { clock: windowsClock(match.windows, match.iana), note: `time zone "${tzid}" changes to and from daylight-saving time on other dates than any Windows zone; ${match.windows} (same offsets) was used` };
      return { clock: definedClock(def), note: `time zone "${tzid}" matches no Windows zone; its times were converted to UTC with the file's own definition` };
    }
    if (byDisplayName) return { clock: windowsClock(byDisplayName.windows, byDisplayName.iana), note: null };
    const why = definition && 'rejected' in definition ? definition.rejected : `time zone "${tzid}" is unknown and not defined in the file`;
    return { clock: this.userClock, note: `${why}; the time was read in ${this.userZone}` };
  }
}

function windowsClock(windows: string, iana: string): Clock {
  return { ...ianaClock(iana), graphZone: windows, graph: (w) => ({ dateTime: wallIso(w), timeZone: windows }) };
}
