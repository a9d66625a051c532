import { CutoverError } from '../../../shared/errors.js';
import type { BatchRequest, BatchResponse, GraphClient } from '../graph/graph-client.js';

/** Graph actions that send mail to someone. */
const MAILING_ACTIONS = /\/(send|sendMail|reply|replyAll|forward|accept|decline|tentativelyAccept|cancel|createReply|createReplyAll|createForward)(\/|\?|$)/i;

/**
 * The only Graph access the contacts and calendar copy gets. It refuses, before anything leaves the
 * machine, every request that could e-mail a person: Graph invites each attendee of a created event
 * (and mails them again when it changes) with no way to switch that off, so no request may carry
 * `attendees`, and no mail-sending action may be called at all.
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

  patch<T>(path: string, body: unknown): Promise<T> {
    MailSafeGraph.check('PATCH', path, body);
    return this.graph.patch<T>(path, body);
  }

  delete(path: string): Promise<void> {
    MailSafeGraph.check('DELETE', path, undefined);
    return this.graph.delete(path);
  }

  putBinary(path: string, data: Buffer, contentType: string): Promise<void> {
    MailSafeGraph.check('PUT', path, undefined);
    return this.graph.putBinary(path, data, contentType);
  }

  batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    for (const r of requests) MailSafeGraph.check(r.method, r.url, r.body);
    return this.graph.batch(requests);
  }
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
