import ICAL from 'ical.js';
import type { GraphBody } from '../../../shared/pim-types.js';
import { InputProblem, WorkBudget } from '../pim/plan-control.js';
import { daysIn } from './vtimezone.js';
import { compareWall, dateIso, type Wall } from './zone-clock.js';

const DAY_NAMES: Record<string, string> = { SU: 'sunday', MO: 'monday', TU: 'tuesday', WE: 'wednesday', TH: 'thursday', FR: 'friday', SA: 'saturday' };
const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const INDEX: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };
const SUPPORTED_PARTS = new Set(['BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS']);
/** Longer rules are not real calendars; ical.js sorts BYDAY in quadratic time, so they are refused first. */
const MAX_RULE_LENGTH = 1000;

/**
 * How a repeating event goes to Graph: as Graph's patterned recurrence where it means exactly the
 * same occurrences, else expanded into single events (the caller does that). A DTSTART that is not
 * on its own rule is still the first occurrence (RFC 5545 §3.8.5.3) but Graph would drop it, so the
 * series then starts at the rule's first date and DTSTART becomes a single event beside it.
 */
export type SeriesMapping =
  | { kind: 'pattern'; recurrence: GraphBody; firstIsExtra: boolean; seriesStart: Wall }
  | { kind: 'only-first' }
  | { kind: 'expand'; reason: string };

export interface SeriesInput {
  rule: ICAL.Recur;
  start: Wall;
  isDate: boolean;
  /** UNTIL on the series' clock (a UTC UNTIL converted), or null. */
  until: Wall | null;
  graphZone: string;
}

export function checkRule(rule: ICAL.Recur): void {
  if (rule.toString().length > MAX_RULE_LENGTH) throw new InputProblem('the repeat rule (RRULE) is too long to be real');
}

export function mapRecurrence(s: SeriesInput, budget: WorkBudget): SeriesMapping {
  const { rule, start } = s;
  const parts = rule.parts as Record<string, (string | number)[] | undefined>;
  const unknown = Object.keys(parts).filter((k) => !SUPPORTED_PARTS.has(k) && (parts[k]?.length ?? 0) > 0);
  if (unknown.length > 0) return { kind: 'expand', reason: `the rule uses ${unknown.join(', ')}` };
  const interval = rule.interval || 1;
  const byDay = (parts.BYDAY ?? []).map(String);
  const byMonthDay = (parts.BYMONTHDAY ?? []).map(Number);
  const byMonth = (parts.BYMONTH ?? []).map(Number);
  const bySetPos = (parts.BYSETPOS ?? []).map(Number);
  const startDay = DAY_CODES[weekday(start)]!;
  let pattern: GraphBody;
  let onRule: boolean;
  const relative = (spec: string, setPos: number | undefined): { daysOfWeek: string[]; index: string } | null => {
    const m = /^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(spec);
    if (!m) return null;
    const n = m[1] !== undefined ? Number(m[1]) : setPos;
    if (n === undefined || INDEX[n] === undefined) return null;
    return { daysOfWeek: [DAY_NAMES[m[2]!]!], index: INDEX[n]! };
  };
  switch (rule.freq) {
    case 'DAILY':
      if (byMonthDay.length || byMonth.length || bySetPos.length) return { kind: 'expand', reason: 'a daily rule with BYMONTHDAY/BYMONTH/BYSETPOS' };
      if (byDay.length === 0) pattern = { type: 'daily', interval };
      else if (interval === 1 && byDay.every((d) => DAY_NAMES[d])) pattern = { type: 'weekly', interval: 1, daysOfWeek: byDay.map((d) => DAY_NAMES[d]!), firstDayOfWeek: 'sunday' };
      else return { kind: 'expand', reason: 'a daily rule with BYDAY and an interval' };
      onRule = byDay.length === 0 || byDay.includes(startDay);
      break;
    case 'WEEKLY': {
      if (byMonthDay.length || byMonth.length || bySetPos.length) return { kind: 'expand', reason: 'a weekly rule with BYMONTHDAY/BYMONTH/BYSETPOS' };
      const days = byDay.length ? byDay : [startDay];
      if (!days.every((d) => DAY_NAMES[d])) return { kind: 'expand', reason: 'a weekly rule with numbered weekdays' };
      const wkst = typeof rule.wkst === 'number' ? DAY_CODES[rule.wkst - 1] : undefined;
      pattern = { type: 'weekly', interval, daysOfWeek: days.map((d) => DAY_NAMES[d]!), firstDayOfWeek: DAY_NAMES[wkst ?? 'MO'] ?? 'monday' };
      onRule = days.includes(startDay);
      break;
    }
    case 'MONTHLY':
      if (byMonth.length) return { kind: 'expand', reason: 'a monthly rule with BYMONTH' };
      if (byDay.length === 0 && byMonthDay.length <= 1 && !bySetPos.length) {
        const day = byMonthDay[0] ?? start.day;
        if (day < 1) return { kind: 'expand', reason: 'a day counted from the end of the month' };
        // Outlook moves day 29–31 to the last day of shorter months; RFC 5545 skips those months.
        if (day >= 29) return { kind: 'expand', reason: `day ${day} of the month, which Outlook would move to the end of shorter months` };
        pattern = { type: 'absoluteMonthly', interval, dayOfMonth: day };
        onRule = day === start.day;
      } else if (byDay.length === 1 && !byMonthDay.length && bySetPos.length <= 1) {
        const r = relative(byDay[0]!, bySetPos[0]);
        if (!r) return { kind: 'expand', reason: 'a monthly weekday rule Graph cannot express' };
        pattern = { type: 'relativeMonthly', interval, ...r };
        onRule = startsOnRule(rule, start, s.isDate, budget);
      } else return { kind: 'expand', reason: 'a monthly rule with several days' };
      break;
    case 'YEARLY': {
      if (byMonth.length > 1 || byMonthDay.length > 1 || byDay.length > 1) return { kind: 'expand', reason: 'a yearly rule with several months or days' };
      const month = byMonth[0] ?? start.month;
      if (byDay.length === 1 && !byMonthDay.length) {
        const r = relative(byDay[0]!, bySetPos[0]);
        if (!r) return { kind: 'expand', reason: 'a yearly weekday rule Graph cannot express' };
        pattern = { type: 'relativeYearly', interval, month, ...r };
        onRule = startsOnRule(rule, start, s.isDate, budget);
      } else if (!byDay.length && !bySetPos.length) {
        const day = byMonthDay[0] ?? start.day;
        if (day < 1) return { kind: 'expand', reason: 'a day counted from the end of the month' };
        // Outlook moves 29 February (and the 31st of a 30-day month) to the month's last day; RFC 5545 skips the year.
        if (day > daysIn(2001, month)) return { kind: 'expand', reason: `day ${day} of month ${month}, which Outlook would move in years that lack it` };
        pattern = { type: 'absoluteYearly', interval, month, dayOfMonth: day };
        onRule = day === start.day && month === start.month;
      } else return { kind: 'expand', reason: 'a yearly rule with BYDAY and BYMONTHDAY' };
      break;
    }
    default:
      return { kind: 'expand', reason: `FREQ=${rule.freq} has no Graph equivalent` };
  }

  let seriesStart = start;
  if (!onRule) {
    const next = firstAfterStart(s, budget);
    if (!next) return { kind: 'only-first' };
    seriesStart = next;
  }
  const base = { startDate: dateIso(seriesStart), recurrenceTimeZone: s.graphZone };
  let range: GraphBody;
  if (rule.count) {
    const n = rule.count - (onRule ? 0 : 1);
    if (n < 1) return { kind: 'only-first' };
    range = { type: 'numbered', ...base, numberOfOccurrences: n };
  } else if (s.until) {
    const last = lastOccurrence(s, budget);
    if (!last || (!onRule && compareWall(last, seriesStart) < 0)) return { kind: 'only-first' };
    range = { type: 'endDate', ...base, endDate: dateIso(last) };
  } else range = { type: 'noEnd', ...base };
  return { kind: 'pattern', recurrence: { pattern, range }, firstIsExtra: !onRule, seriesStart };
}

function weekday(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  return d.getUTCDay();
}

/**
 * The rule's occurrences from DTSTART, in wall-clock time on the series' clock (RFC 5545 expands
 * in local time). DTSTART comes first and counts towards COUNT, as the RFC says, whether or not it
 * is on the rule (ical.js yields it in some cases and not in others, so the counting is done here).
 * Bounded by `budget`, including the loops inside ical.js (it can search forever for a date a rule
 * never produces).
 */
export function* ruleOccurrences(s: Pick<SeriesInput, 'rule' | 'start' | 'isDate' | 'until'>, budget: WorkBudget, limit: Wall | null = null): Generator<Wall> {
  checkRule(s.rule);
  const probe = unreadable(() => s.rule.clone());
  probe.count = null;
  const until = s.until && limit ? (compareWall(s.until, limit) < 0 ? s.until : limit) : (s.until ?? limit);
  probe.until = until ? floating(until, s.isDate) : null;
  const it = unreadable(() => probe.iterator(floating(s.start, s.isDate)));
  guard(it, budget);
  const fix = yearlyFilter(s.rule, s.start);
  const count = s.rule.count ?? Infinity;
  yield s.start;
  let n = 1;
  for (let t = unreadable(() => it.next()); t && n < count; t = unreadable(() => it.next())) {
    budget.step();
    const w: Wall = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
    if (compareWall(w, s.start) <= 0 || (fix && !fix(w))) continue;
    n++;
    yield w;
  }
}

/** ical.js throws plain errors for rules it cannot iterate; those are the file's problem, said so. */
function unreadable<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof InputProblem) throw err;
    throw new InputProblem('the repeat rule (RRULE) cannot be read');
  }
}

/** ical.js's iterator loops internally until a date fits; each round checks the rule, so that is where the budget counts. */
function guard(it: ICAL.RecurIterator, budget: WorkBudget): void {
  const target = it as unknown as { check_contracting_rules: () => boolean };
  const check = target.check_contracting_rules.bind(it);
  target.check_contracting_rules = () => {
    budget.step();
    return check();
  };
}

/**
 * ical.js 2.2 rolls a yearly 29 February over to 1 March (and 31 April to 1 May) where RFC 5545
 * says such a year has no occurrence; those dates are dropped here.
 */
function yearlyFilter(rule: ICAL.Recur, start: Wall): ((w: Wall) => boolean) | null {
  if (rule.freq !== 'YEARLY') return null;
  const parts = rule.parts as Record<string, (string | number)[] | undefined>;
  if ((parts.BYDAY?.length ?? 0) > 0 || (parts.BYYEARDAY?.length ?? 0) > 0 || (parts.BYWEEKNO?.length ?? 0) > 0) return null;
  const months = (parts.BYMONTH ?? [start.month]).map(Number);
  const days = (parts.BYMONTHDAY ?? [start.day]).map(Number);
  return (w) => months.includes(w.month) && days.some((d) => (d > 0 ? d === w.day : daysIn(w.year, w.month) + d + 1 === w.day));
}

export function floating(w: Wall, isDate: boolean): ICAL.Time {
  return new ICAL.Time({ year: w.year, month: w.month, day: w.day, hour: isDate ? 0 : w.hour, minute: isDate ? 0 : w.minute, second: isDate ? 0 : w.second, isDate }, ICAL.Timezone.localTimezone);
}

/** Whether DTSTART is itself on the rule's pattern: the same rule, every period, from the start of its month/year. */
function startsOnRule(rule: ICAL.Recur, start: Wall, isDate: boolean, budget: WorkBudget): boolean {
  const probe = unreadable(() => rule.clone());
  probe.count = null;
  probe.interval = 1;
  // From the day before the month (or year) begins; the iterator's own start comes first and is skipped.
  const d = new Date(0);
  d.setUTCFullYear(start.year, rule.freq === 'YEARLY' ? 0 : start.month - 1, 0);
  const from: Wall = { ...start, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  let first = true;
  for (const w of ruleOccurrences({ rule: probe, start: from, isDate, until: start }, budget)) {
    if (first) {
      first = false;
      continue;
    }
    if (compareWall(w, start) === 0) return true;
  }
  return false;
}

function firstAfterStart(s: SeriesInput, budget: WorkBudget): Wall | null {
  let first = true;
  for (const w of ruleOccurrences(s, budget)) {
    if (first) {
      first = false;
      continue;
    }
    return w;
  }
  return null;
}

/**
 * The last occurrence at or before UNTIL, so Graph's endDate is that occurrence's date in the
 * series' zone. (A UTC UNTIL east of UTC falls on the previous day in UTC.)
 */
function lastOccurrence(s: SeriesInput, budget: WorkBudget): Wall | null {
  let last: Wall | null = null;
  try {
    for (const w of ruleOccurrences(s, new WorkBudget('counting the occurrences of the series', 20_000, 500, budget))) last = w;
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    // Too many to count: the day of UNTIL on the series' clock, or the day before when the
    // occurrences' time of day is later than UNTIL's.
    const u = s.until!;
    const later = !s.isDate && (s.start.hour * 3600 + s.start.minute * 60 + s.start.second > u.hour * 3600 + u.minute * 60 + u.second);
    const d = new Date(0);
    d.setUTCFullYear(u.year, u.month - 1, u.day - (later ? 1 : 0));
    return { ...u, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  return last;
}
