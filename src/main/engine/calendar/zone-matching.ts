import timezonesJson, { type Timezone } from 'timezones.json';
import { findIana, WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { definitionOffsetAt, transitionsIn, type ZoneDefinition } from './vtimezone.js';
import { offsetMinutes, utcToWall } from './zone-clock.js';

/**
 * Which Windows zone a file's own VTIMEZONE means. Outlook writes "Customized Time Zone" or its
 * display names ("(UTC+01:00) Amsterdam, Berlin, …") as TZIDs; the definition's offsets and the
 * dates it changes to and from daylight-saving time in a reference year are compared with what the
 * runtime's time-zone database says for every Windows zone.
 */
interface Signature {
  standard: number;
  daylight: number | null;
  /** Local dates ("MM-DD") of the change into and out of daylight-saving time. */
  toDaylight: string | null;
  toStandard: string | null;
}

const WINDOWS_ZONES: { windows: string; iana: string }[] = WINDOWS_TO_IANA_MAP.filter((e) => e.territory === '001' && e.iana[0]).map((e) => ({ windows: e.windowsName, iana: e.iana[0]! }));

const signatures = new Map<string, Signature | null>();

function mmdd(month: number, day: number): string {
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A zone's signature in a year, from the runtime's time-zone database. */
function ianaSignature(iana: string, year: number): Signature | null {
  const key = `${iana}|${year}`;
  if (signatures.has(key)) return signatures.get(key)!;
  let result: Signature | null = null;
  try {
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    const changes: { at: number; from: number; to: number }[] = [];
    let t = start;
    let off = offsetMinutes(t, iana);
    // Monthly probes, then halving to the hour of each change.
    for (let m = 1; m <= 12; m++) {
      const next = m === 12 ? end : Date.UTC(year, m, 1);
      const nextOff = offsetMinutes(next, iana);
      if (nextOff !== off) {
        let lo = t;
        let hi = next;
        while (hi - lo > 3600_000) {
          const mid = lo + Math.floor((hi - lo) / 2);
          if (offsetMinutes(mid, iana) === off) lo = mid;
          else hi = mid;
        }
        changes.push({ at: hi, from: off, to: nextOff });
      }
      t = next;
      off = nextOff;
    }
    const offsets = [offsetMinutes(start, iana), ...changes.map((c) => c.to)];
    const standard = Math.min(...offsets);
    const daylight = changes.length ? Math.max(...offsets) : null;
    const dateOf = (c: { at: number; from: number } | undefined): string | null => {
      if (!c) return null;
      const w = utcToWall(c.at - 1000 + c.from * 60000, 'UTC');
      return mmdd(w.month, w.day);
    };
    result = {
      standard,
      daylight: daylight !== null && daylight !== standard ? daylight : null,
      toDaylight: dateOf(changes.find((c) => c.to > c.from)),
      toStandard: dateOf(changes.find((c) => c.to < c.from)),
    };
  } catch {
    result = null;
  }
  signatures.set(key, result);
  return result;
}

/** A file definition's signature in a year. */
function definitionSignature(def: ZoneDefinition, year: number): Signature {
  const changes = transitionsIn(def, year).filter((t) => t.offsetFrom !== t.offsetTo);
  const mid = definitionOffsetAt(def, Date.UTC(year, 0, 15));
  const offsets = [mid, ...changes.map((c) => c.offsetTo)];
  const standard = Math.min(...offsets);
  const daylight = Math.max(...offsets);
  const into = changes.find((c) => c.offsetTo > c.offsetFrom);
  const out = changes.find((c) => c.offsetTo < c.offsetFrom);
  return {
    standard,
    daylight: daylight !== standard ? daylight : null,
    toDaylight: into ? mmdd(into.local.month, into.local.day) : null,
    toStandard: out ? mmdd(out.local.month, out.local.day) : null,
  };
}

export function zoneMatchesDefinition(iana: string, def: ZoneDefinition, year: number): boolean {
  const a = ianaSignature(iana, year);
  const b = definitionSignature(def, year);
  return a !== null && same(a, b, true);
}

function same(a: Signature, b: Signature, withDates: boolean): boolean {
  if (a.standard !== b.standard || a.daylight !== b.daylight) return false;
  if (!withDates || a.daylight === null) return true;
  return near(a.toDaylight, b.toDaylight) && near(a.toStandard, b.toStandard);
}

/** Change dates are compared to within a day: a change "at 24:00" is the next day's 00:00. */
function near(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const day = (s: string): number => Date.UTC(2001, Number(s.slice(0, 2)) - 1, Number(s.slice(3, 5))) / 86_400_000;
  return Math.abs(day(a) - day(b)) <= 1;
}

/** Northern zones change into daylight-saving time in the first half of the year. */
function sameHemisphere(a: Signature, b: Signature): boolean {
  return (a.toDaylight ?? '') < '07' === (b.toDaylight ?? '') < '07';
}

/**
 * The Windows zone whose offsets and change dates equal the definition's. Among several (Western
 * and Central Europe share their rules), the one the TZID's words point to (a city in the display
 * name, or Outlook's display name itself) wins, else the first in the Windows list. Without an
 * exact match, a zone with the same offsets on the same side of the equator (not exact).
 */
export function matchWindowsZone(def: ZoneDefinition, year: number, tzid: string): { windows: string; iana: string; exact: boolean } | null {
  const target = definitionSignature(def, year);
  const exact = WINDOWS_ZONES.filter((z) => {
    const s = ianaSignature(z.iana, year);
    return s !== null && same(s, target, true);
  });
  if (exact.length) return { ...preferred(exact, tzid), exact: true };
  const close = WINDOWS_ZONES.filter((z) => {
    const s = ianaSignature(z.iana, year);
    return s !== null && same(s, target, false) && (target.daylight === null || sameHemisphere(s, target));
  });
  if (close.length) return { ...preferred(close, tzid), exact: false };
  return null;
}

function preferred(candidates: { windows: string; iana: string }[], tzid: string): { windows: string; iana: string } {
  const byName = windowsZoneByDisplayName(tzid);
  if (byName) {
    const hit = candidates.find((c) => c.windows === byName.windows);
    if (hit) return hit;
  }
  const words = new Set(tzid.toLowerCase().split(/[^a-z\u00c0-\u024f]+/).filter((w) => w.length > 2));
  let best = candidates[0]!;
  let bestScore = 0;
  for (const c of candidates) {
    const cities = findIana(c.windows).map((z) => z.split('/').pop()!.toLowerCase().replace(/_/g, ' '));
    const score = cities.filter((city) => city.split(' ').every((w) => words.has(w))).length + c.windows.toLowerCase().split(' ').filter((w) => words.has(w)).length / 10;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

// A CommonJS JSON module: under Node's ESM loader the default import is the array itself.
const timezones = ((timezonesJson as unknown as { default?: Timezone[] }).default ?? timezonesJson) as unknown as Timezone[];
const DISPLAY_NAMES = new Map<string, string>();
for (const z of timezones) DISPLAY_NAMES.set(normalizeDisplayName(z.text), z.value);

function normalizeDisplayName(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').replace(/^\(gmt/, '(utc').trim();
}

/** Outlook's display name of a Windows zone ("(UTC+01:00) Amsterdam, Berlin, …") → that zone. */
export function windowsZoneByDisplayName(name: string): { windows: string; iana: string } | null {
  const windows = DISPLAY_NAMES.get(normalizeDisplayName(name));
  const iana = windows ? findIana(windows)?.[0] : undefined;
  return windows && iana ? { windows, iana } : null;
}
