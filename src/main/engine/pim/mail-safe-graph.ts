import { CutoverError } from '../../../shared/errors.js';
import type { BatchRequest, BatchResponse, GraphClient } from '../graph/graph-client.js';

/** Graph actions that send mail to someone. */
const MAILING_ACTIONS = /\/(send|sendMail|reply|replyAll|forward|accept|decline|tentativelyAccept|cancel|createReply|createReplyAll|createForward)(\/|\?|$)/i;
/** An event (series, occurrence or single) or something inside it: `/me/events/{id}…`. */
const EVENT_PATH = /^\/me\/(?:calendars\/[^/?]+\/)?events\/([^/?]+)/;

/** The answer MailSafeGraph.batch gives, without sending it, to a change of an event that is now a meeting. */
export const MEETING_LEFT_ALONE = 'CutoverMeetingLeftAlone';

/** Thrown by MailSafeGraph.patch/delete for an event that has attendees: nothing was sent. */
export class MeetingLeftAlone extends Error {
  constructor(
    readonly eventId: string,
    readonly attendees: number,
    readonly isOrganizer: boolean,
    /** The event's subject as it is now in the mailbox (what a person recognises it by). */
    readonly subject: string | null = null,
  ) {
    super(`the event has ${attendees} attendee(s) now (it became a meeting${isOrganizer ? ' organised in this mailbox' : ''}); it was left unchanged so that no one is sent an update or a cancellation`);
    this.name = 'MeetingLeftAlone';
  }
}

interface MeetingFacts {
  attendees: number;
  isOrganizer: boolean;
  subject: string | null;
}

/**
 * The only Graph access the contacts and calendar copy gets. It refuses, before anything leaves the
 * machine, every request that could e-mail a person:
 * - Graph invites each attendee of a created event with no way to switch that off, so no request may
 *   carry `attendees`, and no mail-sending action may be called at all;
 * - changing or deleting a meeting sends updates or cancellations to its attendees
 *   (https://learn.microsoft.com/en-us/graph/api/event-update, https://learn.microsoft.com/en-us/graph/api/event-delete),
 *   and a copied event may have become one since (the user invited people in Outlook). So before any
 *   PATCH or DELETE of an event, its `attendees` and `isOrganizer` are read, and an event with
 *   attendees is left alone (MeetingLeftAlone / MEETING_LEFT_ALONE) for the caller to report.
 */
export class MailSafeGraph {
  constructor(private readonly graph: GraphClient) {}

  static check(method: string, path: string, body: unknown): void {
    if (MAILING_ACTIONS.test(path)) refuse(`${method} ${path} sends mail`);
    if (hasAttendees(body)) refuse(`${method} ${path} carries attendees, and Graph would e-mail them`);
  }

  get<T>(path: string): Promise<T> {
    return this.graph.get<T>(path);
  }

  getWith<T>(path: string, headers: Record<string, string>): Promise<T> {
    return this.graph.getWith<T>(path, headers);
  }

  getAll<T>(path: string): Promise<T[]> {
    return this.graph.getAll<T>(path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    MailSafeGraph.check('POST', path, body);
    return this.graph.post<T>(path, body);
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    MailSafeGraph.check('PATCH', path, body);
    await this.leaveMeetingsAlone(path);
    return this.graph.patch<T>(path, body);
  }

  async delete(path: string): Promise<void> {
    MailSafeGraph.check('DELETE', path, undefined);
    await this.leaveMeetingsAlone(path);
    return this.graph.delete(path);
  }

  putBinary(path: string, data: Buffer, contentType: string): Promise<void> {
    MailSafeGraph.check('PUT', path, undefined);
    return this.graph.putBinary(path, data, contentType);
  }

  /** Bytes into an attachment upload session (a pre-authenticated URL Graph gave us; mails no one). */
  uploadToSession(uploadUrl: string, data: Buffer): Promise<void> {
    return this.graph.uploadToSession(uploadUrl, data);
  }

  /**
   * $batch with the same guards. PATCH/DELETE of events are preceded by one batch of reads; those
   * whose event has attendees are answered MEETING_LEFT_ALONE (409) without being sent, and those
   * whose event could not be read are answered with that failure, never sent blind.
   */
  async batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    for (const r of requests) MailSafeGraph.check(r.method, r.url, r.body);
    const changes = requests.filter((r) => (r.method === 'PATCH' || r.method === 'DELETE') && EVENT_PATH.test(r.url));
    if (changes.length === 0) return this.graph.batch(requests);
    const ids = [...new Set(changes.map((r) => EVENT_PATH.exec(r.url)![1]!))];
    const reads = await this.graph.batch(ids.map((id, n) => ({ id: `read-${n}`, method: 'GET', url: meetingQuery(id) })));
    const facts = new Map(ids.map((id, n) => [id, reads[n]!]));
    const answered = new Map<string, BatchResponse>();
    const send: BatchRequest[] = [];
    for (const r of requests) {
      const id = (r.method === 'PATCH' || r.method === 'DELETE') && EVENT_PATH.exec(r.url)?.[1];
      const read = id ? facts.get(id) : undefined;
      if (!read || read.status === 404) send.push(r);
      else if (read.status !== 200) answered.set(r.id, { ...read, id: r.id });
      else {
        const m = meetingFacts(read.body);
        if (m.attendees > 0) answered.set(r.id, { id: r.id, status: 409, headers: {}, body: { error: { code: MEETING_LEFT_ALONE, message: new MeetingLeftAlone(id as string, m.attendees, m.isOrganizer).message }, subject: m.subject } });
        else send.push(r);
      }
    }
    const sent = send.length ? await this.graph.batch(send) : [];
    const byId = new Map(sent.map((s) => [s.id, s]));
    return requests.map((r) => answered.get(r.id) ?? byId.get(r.id)!);
  }

  private async leaveMeetingsAlone(path: string): Promise<void> {
    const id = EVENT_PATH.exec(path)?.[1];
    if (!id) return;
    const m = meetingFacts(await this.graph.get(meetingQuery(id)));
    if (m.attendees > 0) throw new MeetingLeftAlone(id, m.attendees, m.isOrganizer, m.subject);
  }
}

function meetingQuery(eventId: string): string {
  return `/me/events/${eventId}?$select=attendees,isOrganizer,subject`;
}

function meetingFacts(body: unknown): MeetingFacts {
  const b = (body ?? {}) as { attendees?: unknown; isOrganizer?: unknown; subject?: unknown };
  return { attendees: Array.isArray(b.attendees) ? b.attendees.length : 0, isOrganizer: b.isOrganizer === true, subject: typeof b.subject === 'string' ? b.subject : null };
}

function hasAttendees(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasAttendees);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.toLowerCase() === 'attendees') return true;
      if (hasAttendees(v)) return true;
    }
  }
  return false;
}

function refuse(why: string): never {
  throw new CutoverError({ code: 'internal', message: `Cutover refused to send a request that could e-mail people (${why}). This is a bug; nothing was sent.`, retryable: false });
}
