import { randomBytes } from 'node:crypto';
import { error, ok, page, type GraphStandin, type Handler } from './graph-standin.js';
import { checkGraphBody } from './graph-schema.js';
import { instancesOf, validateEventRules } from './graph-standin-calendar.js';

/**
 * Contacts and calendars for the Graph stand-in, strict like Graph: every request body is checked
 * against Microsoft's published shapes (graph-schema.ts), Graph's limits (3 e-mail addresses, 2
 * business/home phones), time zones and recurrences as Outlook has them (graph-standin-calendar.ts),
 * transactionId as Exchange keeps it, attachments with upload sessions, and a count of the e-mails
 * Exchange would have sent (invitations, updates, cancellations) so tests can prove it is zero.
 */
type Json = Record<string, unknown>;

export interface StoredAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  contentBytes: string;
}

export interface StoredEvent {
  id: string;
  calendarId: string;
  body: Json;
  cancelled: Set<string>;
  modified: Map<string, Json>;
  user: string;
  attachments: StoredAttachment[];
  /** Set when the mailbox owner organises the event (always, for events created through Graph). */
  isOrganizer: boolean;
}

interface UploadSession {
  eventId: string;
  user: string;
  name: string;
  contentType: string;
  size: number;
  received: Buffer[];
  next: number;
  token: string;
}

/**
 * Exchange's attachment limits (https://learn.microsoft.com/en-us/graph/outlook-large-attachments):
 * "under 3 MB" one POST, 3–150 MB an upload session. Which "MB" is not said; 3,000,000 bytes is used
 * (a POST of more would not fit Graph's 4 MB request limit once base64-encoded anyway).
 */
const SMALL_ATTACHMENT_LIMIT = 3_000_000;
const LARGE_ATTACHMENT_LIMIT = 150 * 1024 * 1024;
const PROPERTY_ID = /^String \{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\} Name \S+$/i;
const NOT_FOUND = (): ReturnType<Handler> => error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export class PimStore {
  contactFolders = new Map<string, { id: string; displayName: string; user: string }>();
  contacts = new Map<string, { id: string; folderId: string; body: Json; photo: Buffer | null; user: string }>();
  calendars = new Map<string, { id: string; name: string; user: string }>();
  events = new Map<string, StoredEvent>();
  uploads = new Map<string, UploadSession>();
  /** E-mails Exchange would have sent to other people (must stay 0). */
  mailsSent = 0;
  private seq = 0;
  /** user|transactionId → the event it created and the body it was created with. */
  private readonly transactions = new Map<string, { eventId: string; body: string }>();

  nextId(prefix: string): string {
    return `${prefix}-${++this.seq}`;
  }

  transaction(key: string): { eventId: string; body: string } | undefined {
    return this.transactions.get(key);
  }

  remember(key: string, eventId: string, body: string): void {
    this.transactions.set(key, { eventId, body });
  }

  /** What the user does in Outlook after the copy: invite people, which makes the event a meeting they organise. */
  inviteAttendees(eventId: string, addresses: string[]): void {
    const e = this.events.get(eventId);
    if (!e) throw new Error(`no event ${eventId}`);
    e.body.attendees = addresses.map((address) => ({ type: 'required', emailAddress: { address, name: address }, status: { response: 'none', time: '0001-01-01T00:00:00Z' } }));
    e.isOrganizer = true;
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
    const problem = checkGraphBody('ContactFolder', r.body);
    if (problem) return error(400, 'RequestBodyRead', problem);
    const b = r.body as Json;
    if (typeof b.displayName !== 'string' || !b.displayName) return error(400, 'ErrorInvalidRequest', 'displayName is required.');
    const id = store.nextId('cf');
    store.contactFolders.set(id, { id, displayName: b.displayName, user: r.user });
    return ok({ id, displayName: b.displayName }, 201);
  });

  // Contacts
  graph.route('GET', /^\/v1\.0\/me\/contactFolders\/([^/]+)\/contacts$/, (m, r) => {
    const folder = store.contactFolders.get(m[1]!);
    if (!folder || folder.user !== r.user) return NOT_FOUND();
    const wanted = propertyFilter(r.query.get('$filter'));
    if (wanted === undefined) return error(400, 'ErrorInvalidProperty', `Unsupported $filter '${r.query.get('$filter')}'.`);
    const items = [...store.contacts.values()].filter((c) => c.folderId === folder.id && (!wanted || hasProperty(c.body, wanted))).map((c) => withExpandedProperty({ id: c.id, ...c.body }, r.query));
    return page(items, r.query, `${base}/v1.0/me/contactFolders/${folder.id}/contacts`);
  });
  graph.route('POST', /^\/v1\.0\/me\/contactFolders\/([^/]+)\/contacts$/, (m, r) => {
    const folder = store.contactFolders.get(m[1]!);
    if (!folder || folder.user !== r.user) return NOT_FOUND();
    const problem = validateContact(r.body);
    if (problem) return problem;
    const id = store.nextId('contact');
    store.contacts.set(id, { id, folderId: folder.id, body: withoutNulls(r.body as Json), photo: null, user: r.user });
    return ok({ id, ...(r.body as Json) }, 201);
  });
  graph.route('PATCH', /^\/v1\.0\/me\/contacts\/([^/]+)$/, (m, r) => {
    const c = store.contacts.get(m[1]!);
    if (!c || c.user !== r.user) return NOT_FOUND();
    const problem = validateContact(r.body);
    if (problem) return problem;
    c.body = merged(c.body, r.body as Json);
    return ok({ id: c.id, ...c.body });
  });
  graph.route('DELETE', /^\/v1\.0\/me\/contacts\/([^/]+)$/, (m, r) => {
    const c = store.contacts.get(m[1]!);
    if (!c || c.user !== r.user) return NOT_FOUND();
    store.contacts.delete(c.id);
    return { status: 204 };
  });
  graph.binaryRoute('PUT', /^\/v1\.0\/me\/contacts\/([^/]+)\/photo\/\$value$/, (m, r) => {
    const type = String(r.headers['content-type'] ?? '');
    if (!/^image\/(jpeg|png|gif|bmp)$/.test(type)) return error(400, 'ErrorInvalidRequest', `Unsupported photo type '${type}'.`);
    const c = store.contacts.get(m[1]!);
    if (!c || c.user !== r.user) return NOT_FOUND();
    c.photo = r.bytes;
    return { status: 200 };
  });

  // Calendars
  graph.route('GET', /^\/v1\.0\/me\/calendars$/, (_m, r) => {
    const name = filterValue(r.query.get('$filter'), 'name');
    const all = [...store.calendars.values()].filter((c) => c.user === r.user && (name === null || c.name === name));
    return page(all.map(({ id, name: n }) => ({ id, name: n, canEdit: true })), r.query, `${base}/v1.0/me/calendars`);
  });
  graph.route('POST', /^\/v1\.0\/me\/calendars$/, (_m, r) => {
    const problem = checkGraphBody('Calendar', r.body);
    if (problem) return error(400, 'RequestBodyRead', problem);
    const b = r.body as Json;
    if (typeof b.name !== 'string' || !b.name) return error(400, 'ErrorInvalidRequest', 'name is required.');
    const id = store.nextId('cal');
    store.calendars.set(id, { id, name: b.name, user: r.user });
    return ok({ id, name: b.name }, 201);
  });

  // Events
  graph.route('GET', /^\/v1\.0\/me\/calendars\/([^/]+)\/events$/, (m, r) => {
    const cal = store.calendars.get(m[1]!);
    if (!cal || cal.user !== r.user) return NOT_FOUND();
    const wanted = propertyFilter(r.query.get('$filter'));
    if (wanted === undefined) return error(400, 'ErrorInvalidProperty', `Unsupported $filter '${r.query.get('$filter')}'.`);
    const items = [...store.events.values()]
      .filter((e) => e.calendarId === cal.id && (!wanted || hasProperty(e.body, wanted)))
      .map((e) => withExpandedProperty(eventJson(e, r.query), r.query));
    return page(items, r.query, `${base}/v1.0/me/calendars/${cal.id}/events`);
  });
  graph.route('POST', /^\/v1\.0\/me\/calendars\/([^/]+)\/events$/, (m, r) => {
    const cal = store.calendars.get(m[1]!);
    if (!cal || cal.user !== r.user) return NOT_FOUND();
    const body = r.body as Json;
    const problem = validateEvent(body, true);
    if (problem) return problem;
    // Exchange keeps a transactionId per mailbox: the same create sent again (a client retry) gets
    // the event it made; any other create with it is refused, even after that event was deleted.
    const tx = typeof body.transactionId === 'string' ? `${r.user}|${body.transactionId}` : null;
    const earlier = tx ? store.transaction(tx) : undefined;
    if (earlier) {
      const existing = store.events.get(earlier.eventId);
      if (existing && earlier.body === JSON.stringify(body)) return ok(eventJson(existing, new URLSearchParams()), 201);
      return error(400, 'ErrorDuplicateTransactionId', "Your request can't be completed. The TransactionId specified in the request has already been used to create a different event.");
    }
    if (Array.isArray(body.attendees) && body.attendees.length > 0) store.mailsSent += body.attendees.length;
    const id = store.nextId('event');
    const { transactionId: _t, ...kept } = body;
    const event: StoredEvent = { id, calendarId: cal.id, body: withoutNulls(kept), cancelled: new Set(), modified: new Map(), user: r.user, attachments: [], isOrganizer: true };
    store.events.set(id, event);
    if (tx) store.remember(tx, id, JSON.stringify(body));
    return ok(eventJson(event, new URLSearchParams()), 201);
  });
  graph.route('GET', /^\/v1\.0\/me\/events\/([^/]+)$/, (m, r) => {
    const target = resolveEvent(store, m[1]!, r.user);
    if (!target) return NOT_FOUND();
    const json = target.date ? { ...eventJson(target.event, r.query), id: m[1]!, type: target.event.modified.has(target.date) ? 'exception' : 'occurrence', seriesMasterId: target.event.id } : eventJson(target.event, r.query);
    return ok(selected(json, r.query));
  });
  graph.route('PATCH', /^\/v1\.0\/me\/events\/([^/]+)$/, (m, r) => {
    const target = resolveEvent(store, m[1]!, r.user);
    if (!target) return NOT_FOUND();
    const body = r.body as Json;
    const problem = validateEvent(body, false);
    if (problem) return problem;
    if ('transactionId' in body) return error(400, 'ErrorInvalidRequest', 'transactionId can only be set when the event is created.');
    // The organizer's change to a meeting is sent to every attendee (https://learn.microsoft.com/en-us/graph/api/event-update).
    store.mailsSent += mailedOnChange(target.event, body);
    if (target.date) target.event.modified.set(target.date, merged(target.event.modified.get(target.date) ?? {}, body));
    else target.event.body = merged(target.event.body, body);
    return ok(eventJson(target.event, new URLSearchParams()));
  });
  graph.route('DELETE', /^\/v1\.0\/me\/events\/([^/]+)$/, (m, r) => {
    const target = resolveEvent(store, m[1]!, r.user);
    if (!target) return NOT_FOUND();
    // Deleting a meeting one organises sends a cancellation to every attendee (https://learn.microsoft.com/en-us/graph/api/event-delete).
    if (target.event.isOrganizer) store.mailsSent += attendeesOf(target.event.body).length;
    if (target.date) target.event.cancelled.add(target.date);
    else store.events.delete(target.event.id);
    return { status: 204 };
  });
  graph.route('GET', /^\/v1\.0\/me\/events\/([^/.]+)\/instances$/, (m, r) => {
    const e = store.events.get(m[1]!);
    if (!e || e.user !== r.user) return NOT_FOUND();
    const from = r.query.get('startDateTime');
    const to = r.query.get('endDateTime');
    if (!from || !to) return error(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
    return page(instancesOf(e, from, to), r.query, `${base}/v1.0/me/events/${e.id}/instances`);
  });

  // Attachments
  graph.route('GET', /^\/v1\.0\/me\/events\/([^/]+)\/attachments$/, (m, r) => {
    const e = store.events.get(m[1]!);
    if (!e || e.user !== r.user) return NOT_FOUND();
    const list = e.attachments.map((a) => selected({ '@odata.type': '#microsoft.graph.fileAttachment', ...a, isInline: false }, r.query));
    return page(list, r.query, `${base}/v1.0/me/events/${e.id}/attachments`);
  });
  graph.route('DELETE', /^\/v1\.0\/me\/events\/([^/]+)\/attachments\/([^/]+)$/, (m, r) => {
    const e = store.events.get(m[1]!);
    if (!e || e.user !== r.user) return NOT_FOUND();
    const before = e.attachments.length;
    e.attachments = e.attachments.filter((a) => a.id !== m[2]);
    return e.attachments.length === before ? NOT_FOUND() : { status: 204 };
  });
  graph.route('POST', /^\/v1\.0\/me\/events\/([^/]+)\/attachments$/, (m, r) => {
    const e = store.events.get(m[1]!);
    if (!e || e.user !== r.user) return NOT_FOUND();
    const problem = checkGraphBody('Attachment', r.body);
    if (problem) return error(400, 'RequestBodyRead', problem);
    const a = r.body as Json;
    if (a['@odata.type'] !== '#microsoft.graph.fileAttachment' || typeof a.name !== 'string' || typeof a.contentBytes !== 'string') {
      return error(400, 'ErrorInvalidRequest', 'A file attachment needs @odata.type, name and contentBytes.');
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBytes)) return error(400, 'ErrorInvalidRequest', 'contentBytes is not base64.');
    const size = Buffer.from(a.contentBytes, 'base64').length;
    if (size > SMALL_ATTACHMENT_LIMIT) return error(413, 'ErrorRequestEntityTooLarge', 'Attachments over 3 MB need an upload session.');
    const stored: StoredAttachment = { id: store.nextId('att'), name: a.name, contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream', size, contentBytes: a.contentBytes };
    e.attachments.push(stored);
    return ok({ id: stored.id, name: stored.name, size }, 201);
  });
  graph.route('POST', /^\/v1\.0\/me\/events\/([^/]+)\/attachments\/createUploadSession$/, (m, r) => {
    const e = store.events.get(m[1]!);
    if (!e || e.user !== r.user) return NOT_FOUND();
    const body = r.body as Json;
    const extra = Object.keys(body ?? {}).filter((k) => k !== 'AttachmentItem');
    if (extra.length) return error(400, 'RequestBodyRead', `The parameter '${extra[0]}' in the request payload is not a valid parameter for the operation 'createUploadSession'.`);
    const problem = checkGraphBody('AttachmentItem', body.AttachmentItem);
    if (problem) return error(400, 'RequestBodyRead', problem);
    const item = body.AttachmentItem as Json;
    if (item.attachmentType !== 'file' || typeof item.name !== 'string' || typeof item.size !== 'number') return error(400, 'ErrorInvalidRequest', 'AttachmentItem needs attachmentType "file", name and size.');
    // Upload sessions are for files from 3 MB to 150 MB; smaller ones are a single POST.
    if (item.size < SMALL_ATTACHMENT_LIMIT || item.size > LARGE_ATTACHMENT_LIMIT) return error(400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'Attachment size must be between 3 MB and 150 MB for an upload session.');
    const id = store.nextId('upload');
    const token = randomBytes(12).toString('hex');
    store.uploads.set(id, { eventId: e.id, user: r.user, name: item.name, contentType: typeof item.contentType === 'string' ? item.contentType : 'application/octet-stream', size: item.size, received: [], next: 0, token });
    return ok({ uploadUrl: `${base}/upload/${id}?authtoken=${token}`, expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(), nextExpectedRanges: ['0-'] }, 201);
  });
  graph.binaryRoute(
    'PUT',
    /^\/upload\/([^/]+)$/,
    (m, r) => {
      const session = store.uploads.get(m[1]!);
      if (!session || r.query.get('authtoken') !== session.token) return error(401, 'InvalidAuthenticationToken', 'The upload URL is not valid.');
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(r.headers['content-range'] ?? ''));
      if (!range) return error(400, 'InvalidRange', 'Content-Range must be "bytes start-end/total".');
      const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
      if (String(r.headers['content-type'] ?? '') !== 'application/octet-stream') return error(400, 'ErrorInvalidRequest', 'Content-Type must be application/octet-stream.');
      if (total !== session.size || start !== session.next || end - start + 1 !== r.bytes.length || end >= total) return error(416, 'InvalidRange', `Expected bytes from ${session.next} of ${session.size}.`);
      session.received.push(r.bytes);
      session.next = end + 1;
      if (session.next < session.size) return ok({ expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(), nextExpectedRanges: [String(session.next)] });
      const e = store.events.get(session.eventId);
      if (!e) return NOT_FOUND();
      const attachment: StoredAttachment = { id: store.nextId('att'), name: session.name, contentType: session.contentType, size: session.size, contentBytes: Buffer.concat(session.received).toString('base64') };
      e.attachments.push(attachment);
      store.uploads.delete(m[1]!);
      return { status: 201, headers: { Location: `${base}/v1.0/me/events/${e.id}/attachments/${attachment.id}` } };
    },
    { preAuthenticated: true },
  );
  // The session's state: where the next range must start (Outlook gives a single "{start}").
  graph.binaryRoute(
    'GET',
    /^\/upload\/([^/]+)$/,
    (m, r) => {
      const session = store.uploads.get(m[1]!);
      if (!session || r.query.get('authtoken') !== session.token) return error(404, 'ErrorItemNotFound', 'The upload session was not found.');
      return ok({ expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(), nextExpectedRanges: [String(session.next)] });
    },
    { preAuthenticated: true },
  );
  return store;
}

function resolveEvent(store: PimStore, id: string, user: string): { event: StoredEvent; date: string | null } | null {
  const [seriesId, date] = id.split('.');
  const e = store.events.get(seriesId!);
  if (!e || e.user !== user) return null;
  return { event: e, date: date ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` : null };
}

function attendeesOf(body: Json): unknown[] {
  return Array.isArray(body.attendees) ? body.attendees : [];
}

/** Updates Exchange mails for a PATCH: to the attendees of a meeting one organises, and to new ones. */
function mailedOnChange(event: StoredEvent, patch: Json): number {
  const now = Array.isArray(patch.attendees) ? patch.attendees.length : 0;
  return (event.isOrganizer ? attendeesOf(event.body).length : 0) + now;
}

/** An event as Graph returns it: stored properties plus the computed ones; $select honoured. */
function eventJson(e: StoredEvent, query: URLSearchParams): Json {
  const type = e.body.recurrence ? 'seriesMaster' : 'singleInstance';
  return selected({ id: e.id, ...e.body, attendees: attendeesOf(e.body), isOrganizer: e.isOrganizer, type, hasAttachments: e.attachments.length > 0 }, query);
}

function selected(json: Json, query: URLSearchParams): Json {
  const select = query.get('$select');
  if (!select) return json;
  const keep = new Set(['id', '@odata.type', ...select.split(',').map((s) => s.trim())]);
  return Object.fromEntries(Object.entries(json).filter(([k]) => keep.has(k) || k === 'singleValueExtendedProperties'));
}

/** PATCH semantics: a property sent as null is removed; [] empties a collection; others replace. */
function merged(before: Json, patch: Json): Json {
  const out: Json = { ...before };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (k === 'singleValueExtendedProperties' && Array.isArray(v)) {
      // Extended properties are merged by id, never removed by a PATCH.
      const byId = new Map(((out[k] as { id: string; value: string }[] | undefined) ?? []).map((p) => [p.id.toLowerCase(), p]));
      for (const p of v as { id: string; value: string }[]) byId.set(p.id.toLowerCase(), p);
      out[k] = [...byId.values()];
    } else out[k] = v;
  }
  return out;
}

function withoutNulls(body: Json): Json {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

/** "$filter=displayName eq 'X'" → X (the only filter shape Cutover uses on containers). */
function filterValue(filter: string | null, field: string): string | null {
  if (!filter) return null;
  const m = new RegExp(`^${field} eq '((?:[^']|'')*)'$`).exec(filter);
  return m ? m[1]!.replace(/''/g, "'") : null;
}

/**
 * "singleValueExtendedProperties/Any(ep: ep/id eq 'ID' and ep/value eq 'V')" → {id, value}; null
 * for no filter, undefined for a filter the stand-in does not know (refused, like an unknown one on Graph).
 */
function propertyFilter(filter: string | null): { id: string; value: string } | null | undefined {
  if (!filter) return null;
  const m = /^singleValueExtendedProperties\/any\((\w+): \1\/id eq '((?:[^']|'')*)' and \1\/value eq '((?:[^']|'')*)'\)$/i.exec(filter);
  return m ? { id: m[2]!.replace(/''/g, "'"), value: m[3]!.replace(/''/g, "'") } : undefined;
}

function hasProperty(body: Json, wanted: { id: string; value: string }): boolean {
  const props = (body.singleValueExtendedProperties as { id: string; value: string }[] | undefined) ?? [];
  // The value match is case-insensitive (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get).
  return props.some((p) => p.id.toLowerCase() === wanted.id.toLowerCase() && p.value.toLowerCase() === wanted.value.toLowerCase());
}

/** $expand=singleValueExtendedProperties($filter=id eq 'A' [or id eq 'B']): only the matching properties come back. */
function withExpandedProperty(item: Json, query: URLSearchParams): Json {
  const { singleValueExtendedProperties: props, ...rest } = item as Json & { singleValueExtendedProperties?: { id: string; value: string }[] };
  const expand = query.get('$expand');
  if (!expand) return rest;
  const m = /^singleValueExtendedProperties\(\$filter=(.+)\)$/.exec(expand);
  if (!m) return rest;
  const ids = [...m[1]!.matchAll(/id eq '([^']+)'/g)].map((x) => x[1]!.toLowerCase());
  const match = (props ?? []).filter((p) => ids.includes(p.id.toLowerCase()));
  return match.length ? { ...rest, singleValueExtendedProperties: match } : rest;
}

function validateProperties(list: unknown): string | null {
  if (list === undefined || list === null) return null;
  for (const p of list as Json[]) {
    if (typeof p.id !== 'string' || !PROPERTY_ID.test(p.id)) return `Invalid extended property id '${String(p.id)}'.`;
    if (typeof p.value !== 'string') return 'Extended property values must be strings.';
  }
  return null;
}

/** Graph rejects a whole contact over these (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/560). */
const CONTACT_LIMITS: [string, number][] = [['emailAddresses', 3], ['businessPhones', 2], ['homePhones', 2], ['imAddresses', 3]];

function validateContact(body: unknown): ReturnType<Handler> | null {
  const shape = checkGraphBody('Contact', body);
  if (shape) return error(400, 'RequestBodyRead', shape);
  const b = body as Json;
  for (const [k, max] of CONTACT_LIMITS) if (Array.isArray(b[k]) && (b[k] as unknown[]).length > max) return error(400, 'ErrorInvalidArgument', `The number of entries for '${k}' exceeds the max allowed value of ${max}.`);
  if (typeof b.birthday === 'string' && Number.isNaN(Date.parse(b.birthday))) return error(400, 'RequestBodyRead', 'Cannot convert the literal to Edm.DateTimeOffset (birthday).');
  const props = validateProperties(b.singleValueExtendedProperties);
  return props ? error(400, 'ErrorInvalidProperty', props) : null;
}

function validateEvent(body: unknown, creating: boolean): ReturnType<Handler> | null {
  const shape = checkGraphBody('Event', body);
  if (shape) return error(400, 'RequestBodyRead', shape);
  const b = body as Json;
  const rule = validateEventRules(b, creating);
  if (rule) return error(400, rule.code, rule.message);
  const props = validateProperties(b.singleValueExtendedProperties);
  return props ? error(400, 'ErrorInvalidProperty', props) : null;
}
