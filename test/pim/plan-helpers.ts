import { fileURLToPath } from 'node:url';
import { planCalendar, type InternalCalendarPlan, type InternalPlannedEvent } from '../../src/main/engine/calendar/plan-calendar.js';
import { planContacts, type InternalContactsPlan, type PlannedContact } from '../../src/main/engine/contacts/plan-contacts.js';
import { readSourceFiles, sourceFromText } from '../../src/main/engine/pim/read-source-files.js';

/** Path of a file in test/fixtures/<kind>/. */
export function fixture(kind: 'contacts' | 'calendar', name: string): string {
  return fileURLToPath(new URL(`../fixtures/${kind}/${name}`, import.meta.url));
}

export function planContactFixtures(...names: string[]): Promise<InternalContactsPlan> {
  return planContacts(readSourceFiles(names.map((n) => fixture('contacts', n))));
}

/** Calendar fixtures planned as of 1 June 2025 (the expansion window depends on "today"). */
export function planCalendarFixtures(names: string[], zone = 'Europe/Berlin'): Promise<InternalCalendarPlan> {
  return planCalendar(readSourceFiles(names.map((n) => fixture('calendar', n))), zone, { now: new Date('2025-06-01T00:00:00Z') });
}

export function planVcf(text: string | Buffer, origin = 'test.vcf'): Promise<InternalContactsPlan> {
  return planContacts([typeof text === 'string' ? sourceFromText(origin, text) : { origin, bytes: text }]);
}

export function planIcs(text: string | Buffer, zone = 'Europe/Berlin', origin = 'test.ics'): Promise<InternalCalendarPlan> {
  return planCalendar([typeof text === 'string' ? sourceFromText(origin, text) : { origin, bytes: text }], zone, { now: new Date('2025-06-01T00:00:00Z') });
}

export function contactNamed(plan: InternalContactsPlan, name: string): PlannedContact {
  const found = plan.items.find((i) => i.graph.displayName === name);
  if (!found) throw new Error(`no contact "${name}" in the plan: ${plan.items.map((i) => String(i.graph.displayName)).join(', ')}`);
  return found;
}

export function eventsWithUid(plan: InternalCalendarPlan, uid: string): InternalPlannedEvent[] {
  return plan.items.filter((i) => i.source.uid === uid);
}

export function eventWithUid(plan: InternalCalendarPlan, uid: string): InternalPlannedEvent {
  const found = eventsWithUid(plan, uid).filter((i) => !i.source.occurrence);
  if (found.length !== 1) throw new Error(`expected one event ${uid}, found ${found.length}`);
  return found[0]!;
}

/** A calendar text from lines (CRLF), wrapped in VCALENDAR. */
export function ics(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

export function vcard(...lines: string[]): string {
  return ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n');
}
