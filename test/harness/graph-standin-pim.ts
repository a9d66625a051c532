import { findIana } from 'windows-iana';
import { error, ok, page, type GraphStandin } from './graph-standin.js';

/**
 * Contacts and calendars for the Graph stand-in, strict like Graph: only the documented
 * properties, Graph's limits (3 e-mail addresses, 2 business/home phones), enumerations checked,
 * transactionId de-duplication, series instances with originalStart in UTC, and a count of the
 * e-mails Graph would have sent (invitations, updates, cancellations) so tests can prove it is zero.
 */
const CONTACT_FIELDS = new Set([
  'assistantName', 'birthday', 'businessAddress', 'businessHomePage', 'businessPhones', 'categories', 'children', 'companyName',
  'department', 'displayName', 'emailAddresses', 'fileAs', 'generation', 'givenName', 'homeAddress', 'homePhones', 'imAddresses',
  'initials', 'jobTitle', 'manager', 'middleName', 'mobilePhone', 'nickName', 'officeLocation', 'otherAddress', 'personalNotes',
  'profession', 'spouseName', 'surname', 'title', 'yomiCompanyName', 'yomiGivenName', 'yomiSurname', 'singleValueExtendedProperties',
]);
const EVENT_FIELDS = new Set([
  'subject', 'body', 'start', 'end', 'isAllDay', 'location', 'locations', 'recurrence', 'reminderMinutesBeforeStart', 'isReminderOn',
  'showAs', 'sensitivity', 'categories', 'importance', 'attendees', 'transactionId', 'singleValueExtendedProperties', 'isOnlineMeeting',
  'responseRequested', 'allowNewTimeProposals', 'hideAttendees',
]);
const ADDRESS_FIELDS = new Set(['street', 'city', 'state', 'countryOrRegion', 'postalCode']);
const SHOW_AS = new Set(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);
const SENSITIVITY = new Set(['normal', 'personal', 'private', 'confidential']);
const PATTERNS = new Set(['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly']);
const RANGES = new Set(['endDate', 'noEnd', 'numbered']);
const PROPERTY_ID = /^String \{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\} Name \S+$/i;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

type Json = Record<string, unknown>;

interface StoredEvent {
  id: string;
  calendarId: string;
  body: Json;
  cancelled: Set<string>;
  modified: Map<string, Json>;
}

export class PimStore {
  contactFolders = new Map<string, { id: string; displayName: string; user: string }>();
  contacts = new Map<string, { id: string; folderId: string; body: Json; photo: Buffer | null; user: string }>();
  calendars = new Map<string, { id: string; name: string; user: string }>();
  events = new Map<string, StoredEvent & { user: string; attachments: Json[] }>();
  /** E-mails Graph would have sent to other people (must stay 0). */
  mailsSent = 0;
  private seq = 0;
  private readonly transactions = new Map<string, string>();

  nextId(prefix: string): string {
    return `${prefix}-${++this.seq}`;
  }

  forgetTransaction(id: string): void {
    for (const [k, v] of this.transactions) if (v === id) this.transactions.delete(k);
  }

  transaction(key: string): string | undefined {
    return this.transactions.get(key);
  }

  remember(key: string, id: string): void {
    this.transactions.set(key, id);
  }
}

export function addPimRoutes(graph: GraphStandin): PimStore {
  const store = new PimStore();
  const base = graph.url;

  // Contact folders
  graph.route('GET', /^\/v1\.0\/me\/contactFolders$/, (_m, r) => {
    const name = filterValue(r.query.get('$filter'), 'displayName');
    const all = [...store.contactFolders.values()].filter((f) => f.user === r.user && (name === null || f.displayName === name));
    return page(all.map(({ id, displayName }) => ({ id, displayName, parentFolderId: 'root' })), r.query, `${base}/v1.0/me/contactFolders`);
  });
  graph.route('POST', /^\/v1\.0\/me\/contactFolders$/, (_m, r) => {
    const b = r.body as Json;
    if (typeof b?.displayName !== 'string' || !b.displayName) return error(400, 'ErrorInvalidRequest', 'displayName is required.');
    const extra = Object.keys(b).filter((k) => k !== 'displayName' && k !== 'parentFolderId');
    if (extra.length) return error(400, 'RequestBodyRead', `The property '${extra[0]}' does not exist on type 'microsoft.graph.contactFolder'.`);
    const id = store.nextId('cf');
    store.contactFolders.set(id, { id, displayName: b.displayName, user: r.user });
    return ok({ id, displayName: b.displayName }, 201);
  });

  // Contacts
  graph.route('GET', /^\/v1\.0\/me\/contactFolders\/([^/]+)\/contacts$/, (m, r) => {
    const folder = store.contactFolders.get(m[1]!);
    if (!folder || folder.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const items = [...store.contacts.values()].filter((c) => c.folderId === folder.id).map((c) => withExpandedProperty({ id: c.id, ...c.body }, r.query));
    return page(items, r.query, `${base}/v1.0/me/contactFolders/${folder.id}/contacts`);
  });
  graph.route('POST', /^\/v1\.0\/me\/contactFolders\/([^/]+)\/contacts$/, (m, r) => {
    const folder = store.contactFolders.get(m[1]!);
    if (!folder || folder.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const problem = validateContact(r.body);
    if (problem) return error(400, 'ErrorInvalidRequest', problem);
    const id = store.nextId('contact');
    store.contacts.set(id, { id, folderId: folder.id, body: r.body as Json, photo: null, user: r.user });
    return ok({ id, ...(r.body as Json) }, 201);
  });
  graph.route('PATCH', /^\/v1\.0\/me\/contacts\/([^/]+)$/, (m, r) => {
    const c = store.contacts.get(m[1]!);
    if (!c || c.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const problem = validateContact(r.body);
    if (problem) return error(400, 'ErrorInvalidRequest', problem);
    c.body = { ...c.body, ...(r.body as Json) };
    return ok({ id: c.id, ...c.body });
  });
  graph.route('DELETE', /^\/v1\.0\/me\/contacts\/([^/]+)$/, (m, r) => {
    const c = store.contacts.get(m[1]!);
    if (!c || c.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    store.contacts.delete(c.id);
    return { status: 204 };
  });

  // Calendars
  graph.route('GET', /^\/v1\.0\/me\/calendars$/, (_m, r) => {
    const name = filterValue(r.query.get('$filter'), 'name');
    const all = [...store.calendars.values()].filter((c) => c.user === r.user && (name === null || c.name === name));
    return page(all.map(({ id, name: n }) => ({ id, name: n, canEdit: true })), r.query, `${base}/v1.0/me/calendars`);
  });
  graph.route('POST', /^\/v1\.0\/me\/calendars$/, (_m, r) => {
    const b = r.body as Json;
    if (typeof b?.name !== 'string' || !b.name) return error(400, 'ErrorInvalidRequest', 'name is required.');
    const id = store.nextId('cal');
    store.calendars.set(id, { id, name: b.name, user: r.user });
    return ok({ id, name: b.name }, 201);
  });

  // Events
  graph.route('GET', /^\/v1\.0\/me\/calendars\/([^/]+)\/events$/, (m, r) => {
    const cal = store.calendars.get(m[1]!);
    if (!cal || cal.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const items = [...store.events.values()].filter((e) => e.calendarId === cal.id).map((e) => withExpandedProperty({ id: e.id, ...e.body }, r.query));
    return page(items, r.query, `${base}/v1.0/me/calendars/${cal.id}/events`);
  });
  graph.route('POST', /^\/v1\.0\/me\/calendars\/([^/]+)\/events$/, (m, r) => {
    const cal = store.calendars.get(m[1]!);
    if (!cal || cal.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const body = r.body as Json;
    const problem = validateEvent(body, true);
    if (problem) return error(400, 'ErrorInvalidRequest', problem);
    const tx = typeof body.transactionId === 'string' ? `${r.user}|${body.transactionId}` : null;
    const earlier = tx ? store.transaction(tx) : undefined;
    if (earlier && store.events.has(earlier)) return ok({ id: earlier, ...store.events.get(earlier)!.body }, 201);
    if (Array.isArray(body.attendees) && body.attendees.length > 0) store.mailsSent += body.attendees.length;
    const id = store.nextId('event');
    const { transactionId: _t, ...kept } = body;
    store.events.set(id, { id, calendarId: cal.id, body: kept, cancelled: new Set(), modified: new Map(), user: r.user, attachments: [] });
    if (tx) store.remember(tx, id);
    return ok({ id, ...kept }, 201);
  });
  graph.route('PATCH', /^\/v1\.0\/me\/events\/([^/]+)$/, (m, r) => {
    const target = resolveEvent(store, m[1]!, r.user);
    if (!target) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const body = r.body as Json;
    const problem = validateEvent(body, false);
    if (problem) return error(400, 'ErrorInvalidRequest', problem);
    if ('transactionId' in body) return error(400, 'ErrorInvalidRequest', 'transactionId can only be set when the event is created.');
    if (hasAttendees(target.event.body) || (Array.isArray(body.attendees) && body.attendees.length)) store.mailsSent++;
    if (target.date) target.event.modified.set(target.date, { ...(target.event.modified.get(target.date) ?? {}), ...body });
    else target.event.body = { ...target.event.body, ...body };
    return ok({ id: m[1]!, ...target.event.body });
  });
  graph.route('DELETE', /^\/v1\.0\/me\/events\/([^/]+)$/, (m, r) => {
    const target = resolveEvent(store, m[1]!, r.user);
    if (!target) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (hasAttendees(target.event.body)) store.mailsSent++;
    if (target.date) target.event.cancelled.add(target.date);
    else {
      store.events.delete(target.event.id);
      store.forgetTransaction(target.event.id);
    }
    return { status: 204 };
  });
  graph.route('GET', /^\/v1\.0\/me\/events\/([^/.]+)\/instances$/, (m, r) => {
    const e = store.events.get(m[1]!);
    if (!e || e.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const from = r.query.get('startDateTime');
    const to = r.query.get('endDateTime');
    if (!from || !to) return error(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
    return page(instancesOf(e, from, to), r.query, `${base}/v1.0/me/events/${e.id}/instances`);
  });
  graph.route('POST', /^\/v1\.0\/me\/events\/([^/]+)\/attachments$/, (m, r) => {
    const e = store.events.get(m[1]!);
    if (!e || e.user !== r.user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const a = r.body as Json;
    if (a['@odata.type'] !== '#microsoft.graph.fileAttachment' || typeof a.name !== 'string' || typeof a.contentBytes !== 'string') {
      return error(400, 'ErrorInvalidRequest', 'A file attachment needs @odata.type, name and contentBytes.');
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBytes)) return error(400, 'ErrorInvalidRequest', 'contentBytes is not base64.');
    if (Buffer.from(a.contentBytes, 'base64').length > 3 * 1024 * 1024) return error(413, 'ErrorRequestEntityTooLarge', 'Attachments over 3 MB need an upload session.');
    e.attachments.push(a);
    return ok({ id: store.nextId('att'), name: a.name }, 201);
  });
  graph.onPhoto = (contactId, user, bytes) => {
    const c = store.contacts.get(contactId);
    if (!c || c.user !== user) return error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    c.photo = bytes;
    return { status: 200 };
  };
  return store;
}

function resolveEvent(store: PimStore, id: string, user: string): { event: StoredEvent & { user: string }; date: string | null } | null {
  const [seriesId, date] = id.split('.');
  const e = store.events.get(seriesId!);
  if (!e || e.user !== user) return null;
  return { event: e, date: date ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` : null };
}

function hasAttendees(body: Json): boolean {
  return Array.isArray(body.attendees) && body.attendees.length > 0;
}

/** "$filter=displayName eq 'X'" → X (the only filter shape Cutover uses on containers). */
function filterValue(filter: string | null, field: string): string | null {
  if (!filter) return null;
  const m = new RegExp(`^${field} eq '((?:[^']|'')*)'$`).exec(filter);
  return m ? m[1]!.replace(/''/g, "'") : null;
}

/** $expand=singleValueExtendedProperties($filter=id eq '…'): only the matching property comes back. */
function withExpandedProperty(item: Json, query: URLSearchParams): Json {
  const { singleValueExtendedProperties: props, ...rest } = item as Json & { singleValueExtendedProperties?: { id: string; value: string }[] };
  const expand = query.get('$expand');
  if (!expand) return rest;
  const m = /^singleValueExtendedProperties\(\$filter=id eq '([^']+)'\)$/.exec(expand);
  if (!m) return rest;
  const match = (props ?? []).filter((p) => p.id.toLowerCase() === m[1]!.toLowerCase());
  return match.length ? { ...rest, singleValueExtendedProperties: match } : rest;
}

function validateProperties(list: unknown): string | null {
  if (list === undefined) return null;
  if (!Array.isArray(list)) return 'singleValueExtendedProperties must be an array.';
  for (const p of list as Json[]) {
    if (typeof p.id !== 'string' || !PROPERTY_ID.test(p.id)) return `Invalid extended property id '${String(p.id)}'.`;
    if (typeof p.value !== 'string') return 'Extended property values must be strings.';
  }
  return null;
}

function validateContact(body: unknown): string | null {
  if (!body || typeof body !== 'object') return 'The request body is empty.';
  const b = body as Json;
  for (const k of Object.keys(b)) if (!CONTACT_FIELDS.has(k)) return `The property '${k}' does not exist on type 'microsoft.graph.contact'.`;
  const limits: [string, number][] = [['emailAddresses', 3], ['businessPhones', 2], ['homePhones', 2], ['imAddresses', 3]];
  for (const [k, max] of limits) if (Array.isArray(b[k]) && (b[k] as unknown[]).length > max) return `Too many values for '${k}' (at most ${max}).`;
  for (const e of (b.emailAddresses as Json[] | undefined) ?? []) {
    for (const k of Object.keys(e)) if (k !== 'name' && k !== 'address') return `The property '${k}' does not exist on type 'microsoft.graph.emailAddress'.`;
  }
  for (const k of ['homeAddress', 'businessAddress', 'otherAddress']) {
    const a = b[k] as Json | undefined;
    if (a) for (const f of Object.keys(a)) if (!ADDRESS_FIELDS.has(f)) return `The property '${f}' does not exist on type 'microsoft.graph.physicalAddress'.`;
  }
  if (b.birthday !== undefined && (typeof b.birthday !== 'string' || Number.isNaN(Date.parse(b.birthday)))) return 'Cannot convert the literal to Edm.DateTimeOffset (birthday).';
  return validateProperties(b.singleValueExtendedProperties);
}

function validateEvent(b: Json, creating: boolean): string | null {
  if (!b || typeof b !== 'object') return 'The request body is empty.';
  for (const k of Object.keys(b)) if (!EVENT_FIELDS.has(k)) return `The property '${k}' does not exist on type 'microsoft.graph.event'.`;
  for (const k of ['start', 'end']) {
    const t = b[k] as Json | undefined;
    if (t === undefined) {
      if (creating) return `The ${k} time is required.`;
      continue;
    }
    if (typeof t.dateTime !== 'string' || Number.isNaN(Date.parse(`${t.dateTime}Z`)) || typeof t.timeZone !== 'string') return `Invalid ${k} (dateTime and timeZone are required).`;
    if (!zoneToIana(t.timeZone)) return `A valid TimeZone value must be specified. '${t.timeZone}' is not one.`;
  }
  if (b.isAllDay === true) {
    for (const k of ['start', 'end']) if (!String((b[k] as Json | undefined)?.dateTime ?? 'T00:00:00').endsWith('T00:00:00')) return 'All-day events must start and end at midnight.';
  }
  if (b.showAs !== undefined && !SHOW_AS.has(String(b.showAs))) return `Invalid showAs '${String(b.showAs)}'.`;
  if (b.sensitivity !== undefined && !SENSITIVITY.has(String(b.sensitivity))) return `Invalid sensitivity '${String(b.sensitivity)}'.`;
  if (b.body !== undefined) {
    const body = b.body as Json;
    if (!['html', 'text'].includes(String(body.contentType).toLowerCase())) return 'body.contentType must be html or text.';
  }
  const rec = b.recurrence as { pattern?: Json; range?: Json } | undefined | null;
  if (rec) {
    if (!rec.pattern || !PATTERNS.has(String(rec.pattern.type))) return 'Invalid recurrence pattern type.';
    if (!rec.range || !RANGES.has(String(rec.range.type)) || typeof rec.range.startDate !== 'string') return 'Invalid recurrence range.';
    for (const d of (rec.pattern.daysOfWeek as string[] | undefined) ?? []) if (!WEEKDAYS.includes(d)) return `Invalid day of week '${d}'.`;
  }
  return validateProperties(b.singleValueExtendedProperties);
}

function zoneToIana(zone: string): string | null {
  if (zone === 'UTC') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    if (zone.includes('/')) return zone;
  } catch {
    // not IANA
  }
  return findIana(zone)?.[0] ?? null;
}

/** UTC instant of a wall-clock time in an IANA zone. */
function wallToUtc(wall: string, iana: string): Date {
  const guess = new Date(`${wall}Z`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(guess)
      .map((p) => [p.type, p.value]),
  );
  const asLocal = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return new Date(guess.getTime() - (asLocal - guess.getTime()));
}

/** Occurrence dates of a patterned recurrence (Graph semantics: starts at the first date that fits). */
function occurrenceDates(rec: { pattern: Json; range: Json }, until: string): string[] {
  const p = rec.pattern;
  const r = rec.range;
  const interval = Number(p.interval ?? 1);
  const out: string[] = [];
  const end = r.type === 'endDate' ? String(r.endDate) : until;
  const max = r.type === 'numbered' ? Number(r.numberOfOccurrences) : 5000;
  const start = new Date(`${String(r.startDate)}T00:00:00Z`);
  const days = ((p.daysOfWeek as string[] | undefined) ?? []).map((d) => WEEKDAYS.indexOf(d));
  const index = ['first', 'second', 'third', 'fourth'].indexOf(String(p.index ?? 'first'));
  const fits = (d: Date): boolean => {
    const sinceStart = Math.round((d.getTime() - start.getTime()) / 86_400_000);
    const monthsSince = (d.getUTCFullYear() - start.getUTCFullYear()) * 12 + d.getUTCMonth() - start.getUTCMonth();
    const nth = (): boolean => {
      if (!days.includes(d.getUTCDay())) return false;
      if (p.index === 'last') return new Date(d.getTime() + 7 * 86_400_000).getUTCMonth() !== d.getUTCMonth();
      return Math.floor((d.getUTCDate() - 1) / 7) === index;
    };
    switch (p.type) {
      case 'daily':
        return sinceStart % interval === 0;
      case 'weekly':
        return days.includes(d.getUTCDay()) && Math.floor((sinceStart + start.getUTCDay()) / 7) % interval === 0;
      case 'absoluteMonthly':
        return d.getUTCDate() === Number(p.dayOfMonth) && monthsSince % interval === 0;
      case 'relativeMonthly':
        return monthsSince % interval === 0 && nth();
      case 'absoluteYearly':
        return d.getUTCMonth() + 1 === Number(p.month) && d.getUTCDate() === Number(p.dayOfMonth) && monthsSince % (12 * interval) === 0;
      case 'relativeYearly':
        return d.getUTCMonth() + 1 === Number(p.month) && nth();
      default:
        return false;
    }
  };
  for (let d = new Date(start); out.length < max && d.toISOString().slice(0, 10) <= end; d = new Date(d.getTime() + 86_400_000)) {
    if (fits(d)) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

function instancesOf(e: StoredEvent, from: string, to: string): Json[] {
  const rec = e.body.recurrence as { pattern: Json; range: Json } | undefined;
  if (!rec) return [];
  const start = e.body.start as { dateTime: string; timeZone: string };
  const endT = e.body.end as { dateTime: string; timeZone: string };
  const iana = zoneToIana(start.timeZone) ?? 'UTC';
  const time = start.dateTime.slice(10);
  const durationMs = new Date(`${endT.dateTime}Z`).getTime() - new Date(`${start.dateTime}Z`).getTime();
  const out: Json[] = [];
  for (const date of occurrenceDates(rec, to.slice(0, 10))) {
    if (e.cancelled.has(date)) continue;
    const originalStart = wallToUtc(`${date}${time}`, iana);
    if (originalStart.toISOString() < from.replace(/Z?$/, 'Z') && date < from.slice(0, 10)) continue;
    const modified = e.modified.get(date);
    const startValue = (modified?.start as Json | undefined) ?? { dateTime: `${date}${time}`, timeZone: start.timeZone };
    out.push({
      id: `${e.id}.${date.replace(/-/g, '')}`,
      type: modified ? 'exception' : 'occurrence',
      seriesMasterId: e.id,
      originalStart: originalStart.toISOString().replace('.000Z', 'Z'),
      start: startValue,
      end: (modified?.end as Json | undefined) ?? { dateTime: new Date(new Date(`${date}${time}Z`).getTime() + durationMs).toISOString().slice(0, 19), timeZone: start.timeZone },
      subject: (modified?.subject as string | undefined) ?? e.body.subject,
    });
  }
  return out;
}
