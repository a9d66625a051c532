import ICAL from 'ical.js';
import type { WorkBudget } from '../pim/plan-control.js';
import { ruleOccurrences } from './recurrence.js';
import { compareWall, dateIso, wallIso, type Wall } from './zone-clock.js';

/** Series Graph cannot express are expanded up to this far past today, and never beyond this many. */
export const EXPANSION_YEARS = 2;
export const EXPANSION_MAX = 500;

export interface ExpansionInput {
  rules: ICAL.Recur[];
  /** Extra dates (RDATE), on the series' clock. */
  extraDates: Wall[];
  start: Wall;
  isDate: boolean;
  /** The series' clock is UTC: keys end in "Z". */
  utc: boolean;
  until: Wall | null;
  /** Occurrence keys (see occurrenceKey) removed by EXDATE. */
  excluded: Set<string>;
  /** The last moment expanded. */
  limit: Wall;
}

/**
 * A series' occurrences as RFC 5545 defines them: the union of its rules and RDATEs from DTSTART,
 * minus EXDATEs, in wall-clock time on the series' clock, up to `limit` and at most EXPANSION_MAX.
 */
export function expandOccurrences(input: ExpansionInput, budget: WorkBudget): { occurrences: Wall[]; truncated: boolean } {
  const found = new Map<string, Wall>();
  const add = (w: Wall): void => {
    if (compareWall(w, input.limit) > 0 || compareWall(w, input.start) < 0) return;
    const key = occurrenceKey(w, input.isDate, input.utc);
    if (!input.excluded.has(key) && !input.excluded.has(dateIso(w))) found.set(key, w);
  };
  add(input.start);
  let truncated = false;
  for (const rule of input.rules) {
    let n = 0;
    for (const w of ruleOccurrences({ rule, start: input.start, isDate: input.isDate, until: input.until }, budget, input.limit)) {
      add(w);
      // Enough from this rule once it alone has produced more than the cap (EXDATEs included).
      if (++n > EXPANSION_MAX * 2) {
        truncated = true;
        break;
      }
    }
  }
  for (const d of input.extraDates) add(d);
  const sorted = [...found.values()].sort(compareWall);
  if (sorted.length > EXPANSION_MAX) truncated = true;
  return { occurrences: sorted.slice(0, EXPANSION_MAX), truncated };
}

/** How an occurrence is named: its start on the series' clock ("2025-01-31T16:00:00", "…Z" in UTC, a date for all-day). */
export function occurrenceKey(w: Wall, isDate: boolean, utc = false): string {
  return isDate ? dateIso(w) : `${wallIso(w)}${utc ? 'Z' : ''}`;
}
