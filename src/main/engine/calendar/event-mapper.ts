import ICAL from 'ical.js';
import type { GraphBody } from '../../../shared/pim-types.js';
import { ATTENDEES_PROPERTY, SOURCE_ID_PROPERTY, uuidV5 } from '../pim/source-identity.js';
import { toGraphTime, type GraphDateTime } from './time-zones.js';

export interface EventAttachment {
  name: string;
  contentType: string;
  data: Buffer;
}

export interface MappedEvent {
  graph: GraphBody;
  warnings: string[];
  zone: string;
  attachments: EventAttachment[];
}

interface Person {
  name: string | null;
  email: string | null;
  role: string | null;
  response: string | null;
}

const SHOW_AS: Record<string, string> = { FREE: 'free', TENTATIVE: 'tentative', BUSY: 'busy', OOF: 'oof', WORKINGELSEWHERE: 'workingElsewhere' };

/**
 * One VEVENT → the body of POST /me/calendars/{id}/events. Never has `attendees`: Graph mails an
 * invitation to every attendee of a created event and cannot be told not to, so the organizer and
 * the attendees (names, addresses, responses) go into the body and an extended property instead.
 */
export function mapEvent(vevent: ICAL.Component, sourceId: string, userZone: string, options: { partial?: boolean } = {}): MappedEvent {
  const warnings: string[] = [];
  const graph: GraphBody = {};
  const summary = textOf(vevent, 'summary');
  graph.subject = summary ?? '(no subject)';

  const startProp = vevent.getFirstProperty('dtstart');
  if (!startProp) throw new Error('the event has no DTSTART');
  const start = startProp.getFirstValue() as ICAL.Time;
  if (!(start instanceof ICAL.Time)) throw new Error('DTSTART is not a date');
  const tzid = paramText(startProp, 'tzid');
  const startG = toGraphTime(start, tzid, userZone);
  if (startG.warning) warnings.push(startG.warning);
  const end = endOf(vevent, start);
  const endProp = vevent.getFirstProperty('dtend');
  const endG = toGraphTime(end, (endProp && paramText(endProp, 'tzid')) ?? tzid, userZone);
  graph.isAllDay = start.isDate;
  graph.start = startG.value;
  graph.end = endG.value;
  if (compare(endG.value, startG.value) < 0) {
    warnings.push('the event ends before it starts; its end was set to its start');
    graph.end = startG.value;
  }

  const location = textOf(vevent, 'location');
  if (location) graph.location = { displayName: location };

  const organizer = personOf(vevent.getFirstProperty('organizer'));
  const attendees = vevent.getAllProperties('attendee').map(personOf).filter((p): p is Person => p !== null);
  const attachmentLinks: string[] = [];
  const attachments: EventAttachment[] = [];
  for (const a of vevent.getAllProperties('attach')) {
    const value = String(a.getFirstValue() ?? '');
    const encoding = String(paramText(a, 'encoding') ?? '').toLowerCase();
    if (encoding === 'base64' || String(paramText(a, 'value') ?? '').toLowerCase() === 'binary') {
      const name = paramText(a, 'x-filename') ?? paramText(a, 'filename') ?? paramText(a, 'x-apple-filename') ?? `attachment-${attachments.length + 1}`;
      attachments.push({ name, contentType: paramText(a, 'fmttype') ?? 'application/octet-stream', data: Buffer.from(value.replace(/\s+/g, ''), 'base64') });
    } else if (value) {
      attachmentLinks.push(value);
    }
  }
  graph.body = { contentType: 'html', content: bodyHtml(vevent, organizer, attendees, attachmentLinks) };

  const alarm = vevent.getAllSubcomponents('valarm').map(reminderMinutes).find((m) => m !== null);
  graph.isReminderOn = alarm !== undefined;
  if (alarm !== undefined && alarm !== null) graph.reminderMinutesBeforeStart = alarm;

  const busy = textOf(vevent, 'x-microsoft-cdo-busystatus')?.toUpperCase();
  const transparent = textOf(vevent, 'transp')?.toUpperCase() === 'TRANSPARENT';
  const status = textOf(vevent, 'status')?.toUpperCase();
  graph.showAs = (busy && SHOW_AS[busy]) ?? (transparent ? 'free' : status === 'TENTATIVE' ? 'tentative' : 'busy');
  const klass = textOf(vevent, 'class')?.toUpperCase();
  graph.sensitivity = klass === 'PRIVATE' ? 'private' : klass === 'CONFIDENTIAL' ? 'confidential' : 'normal';
  const categories = vevent.getAllProperties('categories').flatMap((p) => p.getValues().map((v) => String(v).trim())).filter(Boolean);
  if (categories.length) graph.categories = [...new Set(categories)];

  if (!options.partial) {
    graph.transactionId = uuidV5(sourceId);
    const properties: { id: string; value: string }[] = [{ id: SOURCE_ID_PROPERTY, value: sourceId }];
    if (organizer || attendees.length) properties.push({ id: ATTENDEES_PROPERTY, value: JSON.stringify({ organizer, attendees }) });
    graph.singleValueExtendedProperties = properties;
  }
  return { graph, warnings, zone: startG.zone, attachments };
}

function endOf(vevent: ICAL.Component, start: ICAL.Time): ICAL.Time {
  const dtend = vevent.getFirstPropertyValue('dtend');
  if (dtend instanceof ICAL.Time) return dtend;
  const duration = vevent.getFirstPropertyValue('duration');
  const end = start.clone();
  if (duration instanceof ICAL.Duration) {
    end.addDuration(duration);
    return end;
  }
  // RFC 5545: a date-only event without DTEND lasts one day; a timed one has no duration.
  if (start.isDate) end.adjust(1, 0, 0, 0);
  return end;
}

function compare(a: GraphDateTime, b: GraphDateTime): number {
  return a.timeZone === b.timeZone ? a.dateTime.localeCompare(b.dateTime) : 0;
}

function textOf(c: ICAL.Component, name: string): string | null {
  const v = c.getFirstPropertyValue(name);
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function paramText(p: ICAL.Property, name: string): string | null {
  const v = p.getParameter(name);
  if (Array.isArray(v)) return v.length ? String(v[0]) : null;
  return typeof v === 'string' && v ? v : null;
}

function personOf(p: ICAL.Property | null): Person | null {
  if (!p) return null;
  const address = String(p.getFirstValue() ?? '').replace(/^mailto:/i, '').trim();
  const name = paramText(p, 'cn');
  if (!address && !name) return null;
  return { name, email: address || null, role: paramText(p, 'role'), response: paramText(p, 'partstat') };
}

function reminderMinutes(alarm: ICAL.Component): number | null {
  const trigger = alarm.getFirstProperty('trigger');
  const value = trigger?.getFirstValue();
  if (value instanceof ICAL.Duration) {
    const seconds = value.toSeconds();
    return seconds <= 0 ? Math.round(-seconds / 60) : 0;
  }
  return null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function personHtml(p: Person): string {
  const who = p.name && p.email ? `${escapeHtml(p.name)} &lt;${escapeHtml(p.email)}&gt;` : escapeHtml(p.name ?? p.email ?? '');
  const response = p.response ? ` (${escapeHtml(p.response.toLowerCase().replace('-', ' '))})` : '';
  return `<li>${who}${response}</li>`;
}

/** The description (Outlook's X-ALT-DESC HTML when present) plus who was invited, as a note. */
function bodyHtml(vevent: ICAL.Component, organizer: Person | null, attendees: Person[], links: string[]): string {
  const altProp = vevent.getAllProperties('x-alt-desc').find((p) => /html/i.test(paramText(p, 'fmttype') ?? ''));
  const description = textOf(vevent, 'description');
  let html = altProp ? String(altProp.getFirstValue() ?? '') : description ? `<p>${escapeHtml(description).replace(/\n/g, '<br>')}</p>` : '';
  const notes: string[] = [];
  if (organizer) notes.push(`<p>Organizer: ${personHtml(organizer).replace(/^<li>|<\/li>$/g, '')}</p>`);
  if (attendees.length) notes.push(`<p>Attendees (not invited again by the copy):</p><ul>${attendees.map(personHtml).join('')}</ul>`);
  if (links.length) notes.push(`<p>Attachments (links):</p><ul>${links.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
  if (notes.length) html += `<hr><div>Copied from the old calendar by Cutover.${notes.join('')}</div>`;
  return html;
}
