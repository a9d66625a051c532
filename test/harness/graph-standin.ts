import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { introspect, type Introspected } from './introspect.js';
import type { OidcInfo } from './oidc.js';

/**
 * A strict Microsoft Graph stand-in: only the endpoints Cutover calls, with Graph's documented JSON
 * shapes, paging (@odata.nextLink), JSON $batch (max 20, ids required and unique), 429 with
 * Retry-After, 401 for missing/expired/wrong-audience tokens, and 400 for query options or
 * properties Graph does not have. Tokens are checked against the OpenID provider (introspection).
 */
export interface StandinUser {
  displayName: string;
  /** Exchange Online mailbox provisioned (false: MailboxNotEnabledForRESTAPI). */
  mailbox: boolean;
  /** Service plans assigned (EXCHANGE_S_STANDARD for Business Basic/Standard…). */
  servicePlans: string[];
  /** Well-known folder name → display name (localized in a non-English mailbox). */
  folders: Record<string, string>;
  /** The mailbox's primary SMTP address (`mail`); the user name when not set. */
  mail?: string;
  /** Entra's proxyAddresses: "SMTP:primary", "smtp:alias"… (null: the directory does not let this user read them). */
  proxyAddresses?: string[] | null;
  /** The mailbox's time zone in its settings (a Windows name, as Outlook stores it). */
  timeZone?: string;
  /** How GET /me/licenseDetails answers: normally, refused by the directory, or unavailable. */
  licenseDetails?: 'ok' | 'forbidden' | 'unavailable';
}

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
  user: string | null;
  status: number;
}

const ENGLISH_FOLDERS: Record<string, string> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  junkemail: 'Junk Email',
  archive: 'Archive',
  outbox: 'Outbox',
};

export const GERMAN_FOLDERS: Record<string, string> = {
  inbox: 'Posteingang',
  sentitems: 'Gesendete Elemente',
  drafts: 'Entwürfe',
  deleteditems: 'Gelöschte Elemente',
  junkemail: 'Junk-E-Mail',
  archive: 'Archiv',
  outbox: 'Postausgang',
};

/** Outlook's concurrency limit per app and mailbox. */
export const MAX_CONCURRENT_PER_MAILBOX = 4;
/** Graph's request size limit. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export type BinaryHandler = (m: RegExpMatchArray, r: { user: string | null; query: URLSearchParams; bytes: Buffer; headers: IncomingMessage['headers'] }) => { status: number; body?: unknown; headers?: Record<string, string> };

/** Reads a request body, keeping at most Graph's limit in memory (the rest is drained and the request refused). */
async function readBody(req: IncomingMessage): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(c as Buffer);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: size > MAX_REQUEST_BYTES };
}

/** Who called: the token's user and the delegated permissions (scopes) it carries. */
export interface Caller {
  user: string;
  scopes: string[];
}

export type Handler = (req: { method: string; path: string; query: URLSearchParams; body: unknown; user: string; scopes: string[] }) => { status: number; body?: unknown; headers?: Record<string, string> };

export class GraphStandin {
  readonly log: LoggedRequest[] = [];
  /** Artificial latency per request, and the most requests seen in flight at once. */
  latencyMs = 0;
  peakInFlight = 0;
  /** Requests refused because the mailbox already had MAX_CONCURRENT in flight. */
  concurrencyRefusals = 0;
  private inFlight = 0;
  private readonly inFlightByUser = new Map<string, number>();
  private readonly binaryRoutes: { method: string; pattern: RegExp; preAuthenticated: boolean; handler: BinaryHandler }[] = [];
  private readonly users = new Map<string, StandinUser>();
  private throttle = { remaining: 0, retryAfter: 1 };
  private batchFailures = { remaining: 0, status: 503 };
  private lostBatchAnswers = { remaining: 0, status: 504 };
  private holds: { match: (method: string, path: string) => boolean; arrived: () => void; released: Promise<void> }[] = [];
  private uploadStall: { arrived: () => void; released: Promise<void> } | null = null;
  private gate: Promise<void> | null = null;
  private readonly tokenCache = new Map<string, Introspected>();
  private readonly routes: { method: string; pattern: RegExp; handler: (m: RegExpMatchArray, r: Parameters<Handler>[0]) => ReturnType<Handler> }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly oidc: OidcInfo,
    private readonly ca: string,
  ) {
    this.addMailRoutes();
  }

  static async start(tls: { certFile: string; keyFile: string; caFile: string }, oidc: OidcInfo): Promise<GraphStandin> {
    const server = createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const standin = new GraphStandin(server, `https://127.0.0.1:${port}`, oidc, readFileSync(tls.caFile, 'utf8'));
    server.on('request', (req, res) => void standin.handle(req, res));
    return standin;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  configureUser(username: string, patch: Partial<StandinUser>): void {
    this.users.set(username, { ...this.user(username), ...patch });
  }

  /** The next `count` $batch calls fail as a whole with `status` (a gateway 503/504, as Graph's front end answers at times). */
  failNextBatch(count: number, status = 503): void {
    this.batchFailures = { remaining: count, status };
  }

  /**
   * The next `count` $batch calls are carried out, but their answer is lost on the way back: the
   * client gets `status`, as when Graph's front end times out (504) after the mailbox did the work.
   */
  loseNextBatchAnswer(count: number, status = 504): void {
    this.lostBatchAnswers = { remaining: count, status };
  }

  /**
   * Holds the first request that matches (method, path without the query) until `release` is
   * called; `arrived` resolves when it is being held. A test kills a client at exactly that point.
   */
  holdFirst(match: (method: string, path: string) => boolean): { arrived: Promise<void>; release: () => void } {
    let arrived: () => void = () => undefined;
    let release: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ match, arrived, released });
    return { arrived: arrival, release };
  }

  /**
   * The next upload-session PUT is carried out, but its answer is held until `release` (a client
   * waiting for it times out): what a stalled connection to outlook.office.com looks like.
   */
  stallNextUploadAnswer(): { arrived: Promise<void>; release: () => void } {
    let arrived: () => void = () => undefined;
    let release: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    this.uploadStall = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
    return { arrived: arrival, release };
  }

  /** The next `count` requests (batch sub-requests included) get 429 with Retry-After. */
  throttleNext(count: number, retryAfterSeconds = 1): void {
    this.throttle = { remaining: count, retryAfter: retryAfterSeconds };
  }

  /**
   * Holds every request that gets a mailbox slot from now on until the returned function is called:
   * tests fill the slots deterministically instead of hoping a latency is long enough.
   */
  hold(): () => void {
    let release: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  /** Requests of this mailbox being handled right now. */
  inFlightFor(user: string): number {
    return this.inFlightByUser.get(user) ?? 0;
  }

  route(method: string, pattern: RegExp, handler: (m: RegExpMatchArray, r: Parameters<Handler>[0]) => ReturnType<Handler>): void {
    this.routes.push({ method, pattern, handler });
  }

  /**
   * A route whose body is raw bytes (a contact photo). `preAuthenticated` routes are upload-session
   * URLs: their token is in the URL, and an Authorization header is refused, as the documentation
   * says not to send one (https://learn.microsoft.com/en-us/graph/outlook-large-attachments).
   */
  binaryRoute(method: string, pattern: RegExp, handler: BinaryHandler, options: { preAuthenticated?: boolean } = {}): void {
    this.binaryRoutes.push({ method, pattern, handler, preAuthenticated: options.preAuthenticated ?? false });
  }

  user(username: string): StandinUser {
    return this.users.get(username) ?? { displayName: `Test user ${username}`, mailbox: true, servicePlans: ['EXCHANGE_S_STANDARD', 'EXCHANGE_S_FOUNDATION'], folders: ENGLISH_FOLDERS };
  }

  private addMailRoutes(): void {
    this.route('GET', /^\/v1\.0\/me$/, (_m, r) => {
      const u = this.user(r.user);
      const select = (r.query.get('$select') ?? '').split(',').filter(Boolean);
      // proxyAddresses comes only with $select (https://learn.microsoft.com/en-us/graph/api/resources/user),
      // and a directory may hide it: then it is simply not in the answer.
      if (select.includes('proxyAddresses') && u.proxyAddresses === null) return error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const all: Record<string, unknown> = { id: `id-${r.user}`, displayName: u.displayName, userPrincipalName: r.user, mail: u.mail ?? r.user, proxyAddresses: u.proxyAddresses ?? [`SMTP:${u.mail ?? r.user}`] };
      const shown = select.length ? Object.fromEntries(Object.entries(all).filter(([k]) => k === 'id' || select.includes(k))) : { id: all.id, displayName: all.displayName, userPrincipalName: all.userPrincipalName, mail: all.mail };
      return ok(shown);
    });
    this.route('GET', /^\/v1\.0\/me\/licenseDetails$/, (_m, r) => {
      const u = this.user(r.user);
      // Directory reads can be refused (a tenant restricting what users read about themselves, a guest
      // account) or fail transiently; the answers are Graph's usual ones
      // (https://learn.microsoft.com/en-us/graph/errors, https://learn.microsoft.com/en-us/graph/json-batching).
      if (u.licenseDetails === 'forbidden') return error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      if (u.licenseDetails === 'unavailable') return { status: 503, headers: { 'Retry-After': '1' }, body: { error: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable.' } } };
      return ok({ value: [{ id: 'lic-1', skuId: '00000000-0000-0000-0000-000000000001', skuPartNumber: 'O365_BUSINESS_ESSENTIALS', servicePlans: u.servicePlans.map((n, i) => ({ servicePlanId: `00000000-0000-0000-0000-00000000010${i}`, servicePlanName: n, provisioningStatus: 'Success', appliesTo: 'User' })) }] });
    });
    this.route('GET', /^\/v1\.0\/me\/mailboxSettings$/, (_m, r) => {
      const u = this.user(r.user);
      return u.mailbox ? ok({ timeZone: u.timeZone ?? 'W. Europe Standard Time', language: { locale: 'en-US' } }) : noMailbox();
    });
    this.route('GET', /^\/v1\.0\/me\/mailFolders$/, (_m, r) => {
      const u = this.user(r.user);
      if (!u.mailbox) return noMailbox();
      const all = Object.entries(u.folders).map(([wk, name]) => folderJson(wk, name));
      return page(all, r.query, `${this.url}/v1.0/me/mailFolders`);
    });
    this.route('GET', /^\/v1\.0\/me\/mailFolders\/([A-Za-z]+)$/, (m, r) => {
      const u = this.user(r.user);
      if (!u.mailbox) return noMailbox();
      const wk = m[1]!.toLowerCase();
      const name = u.folders[wk];
      return name ? ok(folderJson(wk, name)) : error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
    try {
      await this.respond(req, res);
    } finally {
      this.inFlight--;
    }
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const { bytes: rawBytes, tooLarge } = await readBody(req);
    const binary = this.binaryRoutes.find((r) => r.method === method && r.pattern.test(url.pathname));
    let body: unknown = undefined;
    let user: string | null = null;
    let result: ReturnType<Handler>;
    if (tooLarge) {
      // Graph refuses any request over 4 MB, $batch included (https://github.com/microsoftgraph/microsoft-graph-docs/issues/11806).
      result = error(413, 'RequestEntityTooLarge', 'The maximum request length supported is 4MB.');
    } else if (binary?.preAuthenticated) {
      result = req.headers.authorization
        ? error(401, 'InvalidAuthenticationToken', 'Do not send an Authorization header to a pre-authenticated upload URL.')
        : binary.handler(binary.pattern.exec(url.pathname)!, { user: null, query: url.searchParams, bytes: rawBytes, headers: req.headers });
      body = { bytes: rawBytes.length, range: req.headers['content-range'] ?? null };
      const stall = method === 'PUT' ? this.uploadStall : null;
      if (stall) {
        this.uploadStall = null;
        stall.arrived();
        await stall.released;
      }
    } else {
      const caller = await this.authenticate(req.headers.authorization);
      if (!('user' in caller)) result = caller;
      else {
        const auth = caller.user;
        user = auth;
        result = await this.withMailboxSlot(auth, async () => {
          if (this.gate) await this.gate;
          const hold = this.holds.find((h) => h.match(method, url.pathname));
          if (hold) {
            this.holds = this.holds.filter((h) => h !== hold);
            hold.arrived();
            await hold.released;
          }
          if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
          if (binary) {
            body = { bytes: rawBytes.length, contentType: req.headers['content-type'] ?? null };
            return binary.handler(binary.pattern.exec(url.pathname)!, { user: auth, query: url.searchParams, bytes: rawBytes, headers: req.headers });
          }
          const raw = rawBytes.toString();
          if (raw && !String(req.headers['content-type'] ?? '').includes('application/json')) return error(415, 'UnsupportedMediaType', 'Content-Type must be application/json.');
          try {
            body = raw ? JSON.parse(raw) : undefined;
          } catch (err) {
            return error(400, 'BadRequest', `Unable to read JSON request payload: ${(err as Error).message}`);
          }
          if (url.pathname === '/v1.0/$batch' && method === 'POST') {
            if (this.batchFailures.remaining > 0) {
              this.batchFailures.remaining--;
              return error(this.batchFailures.status, 'ServiceUnavailable', 'The service is temporarily unavailable.');
            }
            if (this.lostBatchAnswers.remaining > 0) {
              this.lostBatchAnswers.remaining--;
              await this.batch(body, caller);
              return error(this.lostBatchAnswers.status, 'GatewayTimeout', 'The gateway did not receive a timely response.');
            }
            return this.batch(body, caller);
          }
          return this.dispatch(method, url.pathname, url.searchParams, body, caller);
        });
      }
    }
    this.log.push({ method, path: url.pathname + url.search, body, user, status: result.status });
    res.writeHead(result.status, { 'Content-Type': 'application/json', ...(result.headers ?? {}) });
    res.end(result.body === undefined ? '' : JSON.stringify(result.body));
  }

  /**
   * Outlook runs at most 4 requests at once per app and mailbox; a fifth is refused with 429 and
   * Retry-After, $batch calls included (https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits).
   */
  private async withMailboxSlot(user: string, work: () => Promise<ReturnType<Handler>> | ReturnType<Handler>): Promise<ReturnType<Handler>> {
    const busy = this.inFlightByUser.get(user) ?? 0;
    if (busy >= MAX_CONCURRENT_PER_MAILBOX) {
      this.concurrencyRefusals++;
      return { status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } } };
    }
    this.inFlightByUser.set(user, busy + 1);
    try {
      return await work();
    } finally {
      this.inFlightByUser.set(user, (this.inFlightByUser.get(user) ?? 1) - 1);
    }
  }

  private dispatch(method: string, path: string, query: URLSearchParams, body: unknown, caller: Caller): ReturnType<Handler> {
    if (this.throttle.remaining > 0) {
      this.throttle.remaining--;
      return { status: 429, headers: { 'Retry-After': String(this.throttle.retryAfter) }, body: { error: { code: 'TooManyRequests', message: 'Application is over its MailboxConcurrency limit.' } } };
    }
    for (const [key] of query) {
      if (key.startsWith('$') && !['$top', '$select', '$filter', '$skip', '$expand', '$orderby', '$count'].includes(key)) {
        return error(400, 'BadRequest', `Query option '${key}' is not allowed.`);
      }
    }
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) return r.handler(m, { method, path, query, body, user: caller.user, scopes: caller.scopes });
    }
    return error(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
  }

  private async batch(body: unknown, caller: Caller): Promise<ReturnType<Handler>> {
    const requests = (body as { requests?: unknown })?.requests;
    if (!Array.isArray(requests) || requests.length === 0) return error(400, 'BadRequest', 'Invalid batch payload format.');
    if (requests.length > 20) return error(400, 'BadRequest', 'The number of requests in the batch exceeds the limit of 20.');
    const ids = new Set<string>();
    const responses = [];
    for (const r of requests as { id?: unknown; method?: unknown; url?: unknown; body?: unknown; headers?: Record<string, string> }[]) {
      if (typeof r.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') return error(400, 'BadRequest', 'Each batch request needs id, method and url.');
      if (ids.has(r.id)) return error(400, 'BadRequest', `Batch request ids must be unique: '${r.id}'.`);
      ids.add(r.id);
      if (r.body !== undefined && !Object.entries(r.headers ?? {}).some(([k, v]) => k.toLowerCase() === 'content-type' && v.includes('application/json'))) {
        return error(400, 'BadRequest', 'A batch request with a body needs a Content-Type header.');
      }
      const u = new URL(r.url.startsWith('/') ? `/v1.0${r.url}` : `/v1.0/${r.url}`, this.url);
      const res = this.dispatch(r.method.toUpperCase(), u.pathname, u.searchParams, r.body, caller);
      this.log.push({ method: r.method.toUpperCase(), path: `[batch] ${u.pathname}${u.search}`, body: r.body, user: caller.user, status: res.status });
      responses.push({ id: r.id, status: res.status, headers: { 'Content-Type': 'application/json', ...(res.headers ?? {}) }, body: res.body ?? null });
    }
    return ok({ responses });
  }

  private async authenticate(header: string | undefined): Promise<Caller | ReturnType<Handler>> {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return error(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    let info = this.tokenCache.get(token);
    if (!info || (info.exp !== undefined && info.exp * 1000 < Date.now())) {
      info = await introspect(this.oidc, this.ca, token);
      this.tokenCache.set(token, info);
    }
    if (!info.active || !info.sub || (info.exp !== undefined && info.exp * 1000 < Date.now())) {
      return error(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    }
    // Graph accepts only tokens issued for it: a token for Exchange Online (IMAP) has the audience
    // https://outlook.office.com and is refused (https://learn.microsoft.com/en-us/graph/resolve-auth-errors).
    const audiences = Array.isArray(info.aud) ? info.aud : info.aud ? [info.aud] : [];
    if (!audiences.includes('https://graph.microsoft.com')) return error(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    const scopes = (info.scope ?? '').split(' ').filter(Boolean);
    if (!scopes.some((s) => /^(User|Mail|Contacts|Calendars|MailboxSettings|Domain)\./.test(s))) {
      return error(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    }
    return { user: info.sub, scopes };
  }
}

export function ok(body: unknown, status = 200): ReturnType<Handler> {
  return { status, body };
}

export function error(status: number, code: string, message: string): ReturnType<Handler> {
  return { status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': 'standin' } } } };
}

function noMailbox(): ReturnType<Handler> {
  return error(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
}

function folderJson(wellKnown: string, displayName: string): Record<string, unknown> {
  return { id: `folder-${wellKnown}`, displayName, parentFolderId: 'root', childFolderCount: 0, unreadItemCount: 0, totalItemCount: 0, sizeInBytes: 0, isHidden: false };
}

/** Graph-style paging: $top (default 10 here, to exercise paging) and an opaque $skip in nextLink. */
export function page(all: unknown[], query: URLSearchParams, base: string): ReturnType<Handler> {
  const top = Math.min(Number(query.get('$top') ?? '10'), 1000);
  const skip = Number(query.get('$skip') ?? '0');
  const value = all.slice(skip, skip + top);
  // Like Graph, the next link keeps every other query option ($select, $expand, $filter…).
  const rest = new URLSearchParams(query);
  rest.set('$top', String(top));
  rest.set('$skip', String(skip + top));
  const next = skip + top < all.length ? `${base}?${rest.toString()}` : undefined;
  return ok({ '@odata.context': `${base}/$metadata`, value, ...(next ? { '@odata.nextLink': next } : {}) });
}
