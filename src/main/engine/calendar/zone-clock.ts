/**
 * Wall-clock arithmetic in IANA zones through the runtime's own time-zone database (Intl), so no
 * file's VTIMEZONE is ever expanded for a conversion: fast, bounded, and right for every year the
 * database knows.
 */
export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time in `zone` at a UTC instant. */
export function utcToWall(utcMs: number, zone: string): Wall {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) parts[p.type] = p.value;
  const year = Number(parts.year) * (parts.era === 'BC' || parts.era === 'B' ? -1 : 1);
  return { year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) };
}

/** The wall-clock time read as if it were UTC (setUTCFullYear: Date.UTC maps years 0–99 to 1900–1999). */
export function wallAsUtcMs(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

/** The zone's offset from UTC, in minutes, at a UTC instant. */
export function offsetMinutes(utcMs: number, zone: string): number {
  const w = utcToWall(utcMs, zone);
  return Math.round((wallAsUtcMs(w) - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/**
 * The UTC instant of a wall-clock time in `zone`. In the hour skipped by a DST change the time is
 * read with the offset from before the change (as Outlook does); in a repeated hour, the first.
 */
export function wallToUtc(w: Wall, zone: string): number {
  const asUtc = wallAsUtcMs(w);
  const before = offsetMinutes(asUtc - 36 * 3600 * 1000, zone);
  const after = offsetMinutes(asUtc + 36 * 3600 * 1000, zone);
  for (const off of [before, after]) {
    const guess = asUtc - off * 60000;
    if (offsetMinutes(guess, zone) === off) return guess;
  }
  return asUtc - before * 60000;
}

export function convertWall(w: Wall, from: string, to: string): Wall {
  return from === to ? w : utcToWall(wallToUtc(w, from), to);
}

export function wallIso(w: Wall): string {
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

export function dateIso(w: Pick<Wall, 'year' | 'month' | 'day'>): string {
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

export function compareWall(a: Wall, b: Wall): number {
  return wallAsUtcMs(a) - wallAsUtcMs(b);
}

export function addDays(w: Wall, days: number): Wall {
  const d = new Date(wallAsUtcMs(w) + days * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: w.hour, minute: w.minute, second: w.second };
}

export function isMidnight(w: Wall): boolean {
  return w.hour === 0 && w.minute === 0 && w.second === 0;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
