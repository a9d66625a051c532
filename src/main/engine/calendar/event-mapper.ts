import ICAL from 'ical.js';
import { escapeHtml } from '../../../shared/html-text.js';
import type { GraphBody } from '../../../shared/pim-types.js';
import { ATTENDEES_PROPERTY, CONTENT_KEY_PROPERTY, SOURCE_ID_PROPERTY, uuidV5 } from '../pim/source-identity.js';
import { valueOf, valuesOf, type EventTimes } from './event-times.js';
import { dateIso } from './zone-clock.js';

export interface EventAttachment {
  name: string;
  contentType: string;
  data: Buffer;
}

export interface MappedEvent {
  graph: GraphBody;
  warnings: string[];
  attachments: EventAttachment[];
}

interface Person {
  name: string | null;
  email: string | null;
  role: string | null;
  response: string | null;
}

const SHOW_AS: Record<string, string> = { FREE: 'free', TENTATIVE: 'tentative', BUSY: 'busy', OOF: 'oof', WORKINGELSEWHERE: 'workingElsewhere' };
/** Graph's upload sessions take files up to 150 MB. */
const MAX_ATTACHMENT_BYTES = 150 * 1024 * 1024;

/**
 * One VEVENT (with its start and end already on one clock) → the body of
 * POST /me/calendars/{id}/events. Never has `attendees`: Graph mails an invitation to every attendee
 * of a created event and cannot be told not to, so the organizer and the attendees (names,
 * addresses, responses) go into the body and an extended property instead.
 * `identity` is null for the PATCH of a changed occurrence (no identity of its own).
 */
export function mapEvent(vevent: ICAL.Component, times: EventTimes, identity: { key: string; contentKey: string } | null): MappedEvent {
  const warnings: string[] = [...times.warnings];
  const graph: GraphBody = {};
  graph.subject = textOf(vevent, 'summary') ?? '(no subject)';
  graph.isAllDay = times.allDay;
  graph.start = times.allDay ? { dateTime: `${dateIso(times.start)}T00:00:00`, timeZone: times.clock.graphZone } : times.clock.graph(times.start);
  graph.end = times.allDay ? { dateTime: `${dateIso(times.end)}T00:00:00`, timeZone: times.clock.graphZone } : times.clock.graph(times.end);

  const location = textOf(vevent, 'location');
  if (location) graph.location = { displayName: location };

  const organizer = personOf(vevent.getFirstProperty('organizer'));
  const attendees = vevent.getAllProperties('attendee').map(personOf).filter((p): p is Person => p !== null);
  const links: { name: string | null; url: string }[] = [];
  const attachments: EventAttachment[] = [];
  for (const a of vevent.getAllProperties('attach')) {
    const value = String(valuesOf(a)[0] ?? '');
    const encoding = String(param(a, 'encoding') ?? '').toLowerCase();
    const name = param(a, 'x-filename') ?? param(a, 'filename') ?? param(a, 'x-apple-filename') ?? param(a, 'x-oracle-filename') ?? param(a, 'label');
    if (encoding === 'base64' || String(param(a, 'value') ?? '').toLowerCase() === 'binary') {
      const data = Buffer.from(value.replace(/\s+/g, ''), 'base64');
      const fileName = name ?? `attachment-${attachments.length + 1}`;
      if (data.length > MAX_ATTACHMENT_BYTES) warnings.push(`attachment "${fileName}" is larger than the 150 MB Outlook accepts and was not copied`);
      else attachments.push({ name: fileName, contentType: param(a, 'fmttype') ?? 'application/octet-stream', data });
    } else if (value) {
      links.push({ name, url: value });
      warnings.push(`attachment ${name ? `"${name}"` : value} is a link; it is kept as a link in the body`);
    }
  }
  graph.body = { contentType: 'html', content: bodyHtml(vevent, organizer, attendees, links) };

  const alarm = vevent.getAllSubcomponents('valarm').map(reminderMinutes).find((m) => m !== null);
  graph.isReminderOn = alarm !== undefined;
  if (alarm !== undefined && alarm !== null) graph.reminderMinutesBeforeStart = alarm;

  const busy = textOf(vevent, 'x-microsoft-cdo-busystatus')?.toUpperCase();
  const transparent = textOf(vevent, 'transp')?.toUpperCase() === 'TRANSPARENT';
  const status = textOf(vevent, 'status')?.toUpperCase();
  graph.showAs = (busy && SHOW_AS[busy]) ?? (transparent ? 'free' : status === 'TENTATIVE' ? 'tentative' : 'busy');
  const klass = textOf(vevent, 'class')?.toUpperCase();
  graph.sensitivity = klass === 'PRIVATE' ? 'private' : klass === 'CONFIDENTIAL' ? 'confidential' : 'normal';
  const importance = importanceOf(vevent);
  if (importance) graph.importance = importance;
  const categories = vevent.getAllProperties('categories').flatMap((p) => valuesOf(p).map((v) => String(v).trim())).filter(Boolean);
  if (categories.length) graph.categories = [...new Set(categories)];

  if (identity) {
    graph.transactionId = uuidV5(identity.key);
    const properties: { id: string; value: string }[] = [
      { id: SOURCE_ID_PROPERTY, value: identity.key },
      { id: CONTENT_KEY_PROPERTY, value: identity.contentKey },
    ];
    if (organizer || attendees.length) properties.push({ id: ATTENDEES_PROPERTY, value: JSON.stringify({ organizer, attendees }) });
    graph.singleValueExtendedProperties = properties;
  }
  return { graph, warnings: [...new Set(warnings)], attachments };
}

/**
 * RFC 5545 PRIORITY: 1–4 high, 5 normal, 6–9 low, 0 undefined. Outlook's own
 * X-MICROSOFT-CDO-IMPORTANCE (0 low, 1 normal, 2 high) wins when present.
 */
function importanceOf(vevent: ICAL.Component): string | null {
  const cdo = textOf(vevent, 'x-microsoft-cdo-importance');
  if (cdo === '0') return 'low';
  if (cdo === '1') return 'normal';
  if (cdo === '2') return 'high';
  const p = Number(valueOf(vevent, 'priority'));
  if (!Number.isInteger(p) || p <= 0 || p > 9) return null;
  return p < 5 ? 'high' : p === 5 ? 'normal' : 'low';
}

function textOf(c: ICAL.Component, name: string): string | null {
  const v = valueOf(c, name);
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function param(p: ICAL.Property, name: string): string | null {
  const v = p.getParameter(name);
  if (Array.isArray(v)) return v.length ? String(v[0]) : null;
  return typeof v === 'string' && v ? v : null;
}

function personOf(p: ICAL.Property | null): Person | null {
  if (!p) return null;
  const address = String(valuesOf(p)[0] ?? '').replace(/^mailto:/i, '').trim();
  const name = param(p, 'cn');
  if (!address && !name) return null;
  return { name, email: address || null, role: param(p, 'role'), response: param(p, 'partstat') };
}

function reminderMinutes(alarm: ICAL.Component): number | null {
  const value = alarm.getFirstProperty('trigger') ? valueOf(alarm, 'trigger') : null;
  if (value instanceof ICAL.Duration) {
    const seconds = value.toSeconds();
    return seconds <= 0 ? Math.round(-seconds / 60) : 0;
  }
  return null;
}

function personHtml(p: Person): string {
  const who = p.name && p.email ? `${escapeHtml(p.name)} &lt;${escapeHtml(p.email)}&gt;` : escapeHtml(p.name ?? p.email ?? '');
  const response = p.response ? ` (${escapeHtml(p.response.toLowerCase().replace('-', ' '))})` : '';
  return `<li>${who}${response}</li>`;
}

function linkHtml(url: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url);
}

/**
 * The description (Outlook's X-ALT-DESC HTML when present) plus what Graph has no field for: who was
 * invited, the event's web address (URL), meeting links, resources, contacts and comments, and
 * attachments that are links.
 */
function bodyHtml(vevent: ICAL.Component, organizer: Person | null, attendees: Person[], links: { name: string | null; url: string }[]): string {
  const altProp = vevent.getAllProperties('x-alt-desc').find((p) => /html/i.test(param(p, 'fmttype') ?? ''));
  const description = textOf(vevent, 'description');
  let html = altProp ? String(valuesOf(altProp)[0] ?? '') : description ? `<p>${escapeHtml(description).replace(/\n/g, '<br>')}</p>` : '';
  const notes: string[] = [];
  const url = textOf(vevent, 'url');
  if (url) notes.push(`<p>Link: ${linkHtml(url)}</p>`);
  const meeting = textOf(vevent, 'x-google-conference') ?? (vevent.getAllProperties('conference').map((p) => String(valuesOf(p)[0] ?? '')).find(Boolean) || null);
  if (meeting) notes.push(`<p>Online meeting: ${linkHtml(meeting)}</p>`);
  if (organizer) notes.push(`<p>Organizer: ${personHtml(organizer).replace(/^<li>|<\/li>$/g, '')}</p>`);
  if (attendees.length) notes.push(`<p>Attendees (not invited again by the copy):</p><ul>${attendees.map(personHtml).join('')}</ul>`);
  for (const [prop, label] of [['resources', 'Resources'], ['contact', 'Contact'], ['comment', 'Comment']] as const) {
    const texts = vevent.getAllProperties(prop).flatMap((p) => valuesOf(p).map((v) => String(v).trim())).filter(Boolean);
    if (texts.length) notes.push(`<p>${label}: ${texts.map(escapeHtml).join(', ')}</p>`);
  }
  if (links.length) notes.push(`<p>Attachments (links):</p><ul>${links.map((l) => `<li>${l.name ? `${escapeHtml(l.name)}: ` : ''}${linkHtml(l.url)}</li>`).join('')}</ul>`);
  if (notes.length) html += `<hr><div>Copied from the old calendar by Cutover.${notes.join('')}</div>`;
  return html;
}
