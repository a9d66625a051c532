import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planCalendar } from '../../src/main/engine/calendar/plan-calendar.js';
import { planContacts } from '../../src/main/engine/contacts/plan-contacts.js';
import { prng as rng } from '../bench/corpus.js';
import { keysDeep } from '../harness/keys-deep.js';

/**
 * Fuzzing the vCard and iCalendar readers: a few thousand inputs mutated from our own exporter-style
 * fixtures with a fixed random seed (so a failure repeats exactly), each of which must give a plan
 * that serialises to valid JSON, in bounded time and memory, without throwing.
 */
const SEED = 20_251_129;
const ROUNDS = 1500;

const TOKENS = [
  'BEGIN:VCARD\r\n', 'END:VCARD\r\n', 'BEGIN:VEVENT\r\n', 'END:VEVENT\r\n', 'BEGIN:VCALENDAR\r\n', 'END:VCALENDAR\r\n', 'BEGIN:VALARM\r\n', 'BEGIN:VTIMEZONE\r\n',
  'BEGIN:STANDARD\r\n', 'RRULE:FREQ=SECONDLY\r\n', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29\r\n', 'RRULE:FREQ=MONTHLY;BYDAY=5FR;COUNT=3\r\n', 'RRULE:FREQ=WEEKLY;UNTIL=20250101\r\n',
  'EXDATE:20250101T100000Z\r\n', 'RECURRENCE-ID:20250101T100000Z\r\n', 'DTSTART;TZID=Customized Time Zone:20250101T000000\r\n', 'DTSTART;VALUE=DATE:20250229\r\n', 'DTEND:00000101T000000\r\n',
  'TZOFFSETFROM:+9999\r\n', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\n', 'ATTACH;ENCODING=BASE64;VALUE=BINARY:@@@@\r\n', 'PRIORITY:-3\r\n',
  '=\r\n', '\r\n ', '\r\n\t', ';ENCODING=QUOTED-PRINTABLE', ';CHARSET=UTF-16', ';CHARSET=nonsense', ';ENCODING=b', ':', ';', '\\', '\\n', '"', '\u0000', '\xff\xfe', '\xfe\xff',
  'N:;;;;;;;;;;\r\n', 'ADR:;;\r\n', 'BDAY:--1399\r\n', 'KIND:group\r\n', 'MEMBER:urn:uuid:\r\n', 'PHOTO;VALUE=uri:data:image/png;base64,%%%\r\n', 'UID:\r\n', 'item1.X-ABLabel:_$!<>!$_\r\n',
];

function mutate(seed: Buffer, others: Buffer[], rand: () => number): Buffer {
  let out = Buffer.from(seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  for (let m = 1 + pick(4); m > 0; m--) {
    const at = pick(out.length + 1);
    switch (pick(7)) {
      case 0: // flip bytes
        for (let i = pick(8); i >= 0; i--) if (out.length) out[pick(out.length)] = pick(256);
        break;
      case 1: // insert a token the readers care about
        out = Buffer.concat([out.subarray(0, at), Buffer.from(TOKENS[pick(TOKENS.length)]!, 'latin1'), out.subarray(at)]);
        break;
      case 2: // delete a range
        out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + pick(200)))]);
        break;
      case 3: // repeat a range
        out = Buffer.concat([out.subarray(0, at), ...Array<Buffer>(1 + pick(5)).fill(out.subarray(at, at + pick(300))), out.subarray(at)]);
        break;
      case 4: // truncate
        out = out.subarray(0, at);
        break;
      case 5: {
        // splice in part of another seed
        const other = others[pick(others.length)]!;
        const from = pick(other.length);
        out = Buffer.concat([out.subarray(0, at), other.subarray(from, from + pick(400)), out.subarray(at)]);
        break;
      }
      default: // line endings and encodings
        out = pick(2) ? Buffer.from(out.toString('latin1').replace(/\r\n/g, pick(2) ? '\n' : '\r'), 'latin1') : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out.toString('utf8'), 'utf16le')]);
    }
  }
  return out;
}

function seeds(kind: 'contacts' | 'calendar'): Buffer[] {
  const dir = fileURLToPath(new URL(`../fixtures/${kind}/`, import.meta.url));
  return readdirSync(dir).map((f) => readFileSync(dir + f));
}

/** What the CLI would print for the plan: must be valid JSON that says nothing it should not. */
function asJson(plan: { items: { source: unknown; graph: unknown; warnings: unknown }[]; skipped: unknown; groups?: unknown }): unknown {
  const text = JSON.stringify({ items: plan.items.map((i) => ({ source: i.source, graph: i.graph, warnings: i.warnings })), skipped: plan.skipped, groups: plan.groups ?? [] });
  return JSON.parse(text);
}

describe('fuzzed vCard and iCalendar files', () => {
  it.each(['contacts', 'calendar'] as const)('%s: %# every mutated input gives valid JSON, in bounded time and memory, without throwing', async (kind) => {
    const rand = rng(SEED + (kind === 'contacts' ? 1 : 2));
    const base = seeds(kind);
    let slowest = 0;
    let items = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const input = mutate(base[round % base.length]!, base, rand);
      const start = performance.now();
      const plan = kind === 'contacts' ? await planContacts([{ origin: `fuzz-${round}.vcf`, bytes: input }]) : await planCalendar([{ origin: `fuzz-${round}.ics`, bytes: input }], 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') });
      slowest = Math.max(slowest, performance.now() - start);
      const json = asJson(plan) as { items: { graph: unknown; warnings: unknown[] }[]; skipped: { reason: unknown }[] };
      items += json.items.length;
      for (const item of json.items) {
        expect(keysDeep(item.graph).has('attendees')).toBe(false);
        expect(item.warnings.every((w) => typeof w === 'string')).toBe(true);
      }
      for (const s of json.skipped) expect(s.reason, `round ${round}`).toEqual(expect.any(String));
      if (round % 100 === 0) expect(process.memoryUsage().heapUsed).toBeLessThan(1024 * 1024 * 1024);
    }
    // Generous: a hang or a blow-up takes minutes; each input here is a few milliseconds.
    expect(slowest).toBeLessThan(10_000);
    expect(items).toBeGreaterThan(ROUNDS / 2);
  }, 120_000);
});
