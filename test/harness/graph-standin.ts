import { readFileSync } from 'node:fs';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

interface Introspected {
  active: boolean;
  sub?: string;
  scope?: string;
  exp?: number;
  aud?: string | string[];
}

export type Handler = (req: { method: string; path: string; query: URLSearchParams; body: unknown; user: string }) => { status: number; body?: unknown; headers?: Record<string, string> };

export class GraphStandin {
  readonly log: LoggedRequest[] = [];
  /** Set by the contacts routes: stores a contact photo (PUT …/photo/$value takes raw bytes). */
  onPhoto: ((contactId: string, user: string, bytes: Buffer) => ReturnType<Handler>) | null = null;
  /** Artificial latency per request, and the most requests seen in flight at once. */
  latencyMs = 0;
  peakInFlight = 0;
  private inFlight = 0;
  private readonly users = new Map<string, StandinUser>();
  private throttle = { remaining: 0, retryAfter: 1 };
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

  /** The next `count` requests (batch sub-requests included) get 429 with Retry-After. */
  throttleNext(count: number, retryAfterSeconds = 1): void {
    this.throttle = { remaining: count, retryAfter: retryAfterSeconds };
  }

  route(method: string, pattern: RegExp, handler: (m: RegExpMatchArray, r: Parameters<Handler>[0]) => ReturnType<Handler>): void {
    this.routes.push({ method, pattern, handler });
  }

  user(username: string): StandinUser {
    return this.users.get(username) ?? { displayName: `Test user ${username}`, mailbox: true, servicePlans: ['EXCHANGE_S_STANDARD', 'EXCHANGE_S_FOUNDATION'], folders: ENGLISH_FOLDERS };
  }

  private addMailRoutes(): void {
    this.route('GET', /^\/v1\.0\/me$/, (_m, r) => ok({ id: `id-${r.user}`, displayName: this.user(r.user).displayName, userPrincipalName: r.user, mail: r.user }));
    this.route('GET', /^\/v1\.0\/me\/licenseDetails$/, (_m, r) =>
      ok({ value: [{ id: 'lic-1', skuId: '00000000-0000-0000-0000-000000000001', skuPartNumber: 'O365_BUSINESS_ESSENTIALS', servicePlans: this.user(r.user).servicePlans.map((n, i) => ({ servicePlanId: `00000000-0000-0000-0000-00000000010${i}`, servicePlanName: n, provisioningStatus: 'Success', appliesTo: 'User' })) }] }),
    );
    this.route('GET', /^\/v1\.0\/me\/mailboxSettings$/, (_m, r) => (this.user(r.user).mailbox ? ok({ timeZone: 'W. Europe Standard Time', language: { locale: 'en-US' } }) : noMailbox()));
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
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString();
    const url = new URL(req.url ?? '/', this.url);
    const auth = await this.authenticate(req.headers.authorization);
    let body: unknown = undefined;
    let result: ReturnType<Handler>;
    const photo = /^\/v1\.0\/me\/contacts\/([^/]+)\/photo\/\$value$/.exec(url.pathname);
    if (typeof auth !== 'string') {
      result = auth;
    } else if (photo && req.method === 'PUT') {
      const type = String(req.headers['content-type'] ?? '');
      result = !/^image\/(jpeg|png|gif|bmp)$/.test(type) ? error(400, 'ErrorInvalidRequest', `Unsupported photo type '${type}'.`) : this.onPhoto ? this.onPhoto(photo[1]!, auth, rawBytes) : error(404, 'ErrorItemNotFound', 'No contacts here.');
      body = { bytes: rawBytes.length, contentType: type };
    } else if (raw && !String(req.headers['content-type'] ?? '').includes('application/json')) {
      result = error(415, 'UnsupportedMediaType', 'Content-Type must be application/json.');
    } else {
      try {
        body = raw ? JSON.parse(raw) : undefined;
        result = url.pathname === '/v1.0/$batch' && req.method === 'POST' ? await this.batch(body, auth) : this.dispatch(req.method ?? 'GET', url.pathname, url.searchParams, body, auth);
      } catch (err) {
        result = error(400, 'BadRequest', `Unable to read JSON request payload: ${(err as Error).message}`);
      }
    }
    this.log.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body, user: typeof auth === 'string' ? auth : null, status: result.status });
    res.writeHead(result.status, { 'Content-Type': 'application/json', ...(result.headers ?? {}) });
    res.end(result.body === undefined ? '' : JSON.stringify(result.body));
  }

  private dispatch(method: string, path: string, query: URLSearchParams, body: unknown, user: string): ReturnType<Handler> {
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
      if (m) return r.handler(m, { method, path, query, body, user });
    }
    return error(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
  }

  private async batch(body: unknown, user: string): Promise<ReturnType<Handler>> {
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
      const res = this.dispatch(r.method.toUpperCase(), u.pathname, u.searchParams, r.body, user);
      this.log.push({ method: r.method.toUpperCase(), path: `[batch] ${u.pathname}${u.search}`, body: r.body, user, status: res.status });
      responses.push({ id: r.id, status: res.status, headers: { 'Content-Type': 'application/json', ...(res.headers ?? {}) }, body: res.body ?? null });
    }
    return ok({ responses });
  }

  private async authenticate(header: string | undefined): Promise<string | ReturnType<Handler>> {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return error(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    let info = this.tokenCache.get(token);
    if (!info || (info.exp !== undefined && info.exp * 1000 < Date.now())) {
      info = await this.introspect(token);
      this.tokenCache.set(token, info);
    }
    if (!info.active || !info.sub || (info.exp !== undefined && info.exp * 1000 < Date.now())) {
      return error(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    }
    // Graph accepts only tokens issued for it: a token for Exchange Online (IMAP) has the audience
    // https://outlook.office.com and is refused (https://learn.microsoft.com/en-us/graph/resolve-auth-errors).
    const audiences = Array.isArray(info.aud) ? info.aud : info.aud ? [info.aud] : [];
    if (!audiences.includes('https://graph.microsoft.com')) return error(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    if (!(info.scope ?? '').split(' ').some((s) => /^(User|Mail|Contacts|Calendars|MailboxSettings)\./.test(s))) {
      return error(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    }
    return info.sub;
  }

  private introspect(token: string): Promise<Introspected> {
    const body = new URLSearchParams({ token }).toString();
    const basic = Buffer.from(`${this.oidc.introspector.id}:${this.oidc.introspector.secret}`).toString('base64');
    return new Promise((resolve, reject) => {
      const req = httpsRequest(this.oidc.introspectionUrl, { method: 'POST', ca: this.ca, headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(JSON.parse(text)));
      });
      req.on('error', reject);
      req.end(body);
    });
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
