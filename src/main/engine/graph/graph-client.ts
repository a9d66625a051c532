import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  ResponseType,
  RetryHandlerOptions,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import pLimit, { type LimitFunction } from 'p-limit';
import { CutoverError } from '../../../shared/errors.js';
import { batchBody, planBatches, type BatchRequest } from './batch-plan.js';

export interface GraphClientOptions {
  /** Returns an access token; `force` asks for a fresh one (after a 401). */
  getToken: (force: boolean) => Promise<string>;
  /** Graph root (https://graph.microsoft.com unless the host says otherwise: tests, sovereign clouds). */
  baseUrl?: string;
  maxConcurrent?: number;
  /** Told when Graph throttles us, so the UI can say "waiting N s" instead of looking stuck. */
  onThrottled?: (waitSeconds: number) => void;
  /** Longest wait for one Retry-After of throttled $batch requests (default MAX_RETRY_AFTER_SECONDS). */
  maxRetryAfterSeconds?: number;
  /** How long one upload-session PUT may take (default UPLOAD_CHUNK_TIMEOUT_MS). */
  uploadChunkTimeoutMs?: number;
}

export type { BatchRequest };

export interface BatchResponse {
  id: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Upload-session ranges: a multiple of 320 KiB, below Graph's 4 MB per request. */
const UPLOAD_CHUNK = 10 * 320 * 1024;

/** Sub-requests answered 429 are sent again this many times before they are reported as throttled. */
const BATCH_ROUNDS = 6;
/**
 * A Retry-After longer than this is not waited out in one go: the throttled requests are sent again
 * after this long (and answered 429 again if Graph still refuses), so a copy never sits silent for
 * hours on one header.
 */
export const MAX_RETRY_AFTER_SECONDS = 300;
/** One upload-session range of 3.125 MiB: two minutes is a line of about 200 kbit/s. */
export const UPLOAD_CHUNK_TIMEOUT_MS = 120_000;
/** Tries per upload-session range (timeouts, lost connections, 429 and 5xx answers). */
const UPLOAD_CHUNK_TRIES = 4;

/**
 * The one Microsoft Graph client. Built on the SDK's middleware chain with our own retry policy:
 * 429/503/504 are retried honouring Retry-After, except that a POST or PATCH is retried only on 429
 * (a throttled request was not executed; a 503/504 one may have been, and creating an item twice
 * is what we must never do — callers look before they send again).
 */
export class GraphClient {
  private readonly client: Client;
  /** At most this many requests at once (Graph allows 4 concurrent requests per mailbox); the rest wait in order. */
  private readonly limiter: LimitFunction;
  private forceNextToken = false;

  /** The Graph root this client talks to (a client for another permission uses the same). */
  readonly baseUrl: string;

  constructor(private readonly options: GraphClientOptions) {
    const baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com').replace(/\/$/, '') + '/';
    this.baseUrl = baseUrl;
    const authProvider: AuthenticationProvider = {
      getAccessToken: async () => {
        const force = this.forceNextToken;
        this.forceNextToken = false;
        return options.getToken(force);
      },
    };
    const shouldRetry = (_delay: number, _attempt: number, request: string | Request, fetchOptions: unknown, response: Response): boolean => {
      const method = ((fetchOptions as RequestInit | undefined)?.method ?? (typeof request === 'object' && 'method' in request ? request.method : 'GET')).toUpperCase();
      if (response.status === 429) {
        const wait = Number(response.headers.get('Retry-After') ?? '0');
        options.onThrottled?.(Number.isFinite(wait) ? wait : 0);
        return true;
      }
      return method === 'GET' || method === 'DELETE';
    };
    const auth = new AuthenticationHandler(authProvider);
    const retry = new RetryHandler(new RetryHandlerOptions(1, 6, shouldRetry));
    auth.setNext(retry);
    retry.setNext(new HTTPMessageHandler());
    this.client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl,
      defaultVersion: 'v1.0',
      customHosts: new Set([new URL(baseUrl).hostname]),
    });
    this.limiter = pLimit(options.maxConcurrent ?? 4);
  }

  get<T>(path: string): Promise<T> {
    return this.call(() => this.client.api(path).get() as Promise<T>, `GET ${path}`);
  }

  /** Follows @odata.nextLink until the collection ends. */
  async getAll<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { value?: T[]; '@odata.nextLink'?: string } = await this.get(next);
      out.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return out;
  }

  /** GET with extra headers (e.g. Prefer: outlook.timezone). */
  getWith<T>(path: string, headers: Record<string, string>): Promise<T> {
    return this.call(() => this.client.api(path).headers(headers).get() as Promise<T>, `GET ${path}`);
  }

  /** PUT of raw bytes (a contact photo). */
  putBinary(path: string, data: Buffer, contentType: string): Promise<void> {
    // The answer has no JSON body: read it raw so an empty 200 is not a parse error.
    return this.call(async () => {
      await this.client.api(path).header('Content-Type', contentType).responseType(ResponseType.RAW).put(data);
    }, `PUT ${path}`);
  }

  /**
   * Uploads bytes into an attachment upload session, in ranges of at most 3.125 MiB (Graph advises
   * under 4 MB each), in order. The URL is pre-authenticated for outlook.office.com: no Authorization
   * header is sent ("Do not specify an Authorization request header",
   * https://learn.microsoft.com/en-us/graph/outlook-large-attachments), so it bypasses the SDK chain.
   * Each PUT has a time limit. A range that timed out, lost its connection or was answered 429/5xx is
   * resumed as Graph describes for upload sessions: ask the session (GET) where the next range must
   * start (`nextExpectedRanges`, for Outlook a single "{start}",
   * https://learn.microsoft.com/en-us/graph/api/resources/uploadsession) and go on from there, after
   * Retry-After or a growing pause; where the session cannot say, the same range is sent again.
   */
  async uploadToSession(uploadUrl: string, data: Buffer): Promise<void> {
    const what = 'PUT (attachment upload session)';
    let start = 0;
    let tries = 0;
    while (start < data.length) {
      const chunk = data.subarray(start, Math.min(start + UPLOAD_CHUNK, data.length));
      const end = start + chunk.length - 1;
      const put = await this.limiter(async () => {
        try {
          const res = await fetch(uploadUrl, {
            method: 'PUT',
            headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${start}-${end}/${data.length}` },
            body: chunk,
            signal: AbortSignal.timeout(this.options.uploadChunkTimeoutMs ?? UPLOAD_CHUNK_TIMEOUT_MS),
          });
          return { res, text: await res.text(), failure: null };
        } catch (err) {
          return { res: null, text: '', failure: err };
        }
      });
      const status = put.res?.status ?? 0;
      if (put.res?.ok) {
        if (end === data.length - 1 && status !== 201 && status !== 200) {
          throw new CutoverError({ code: 'graph-error', message: `Microsoft Graph did not confirm the end of ${what} (${status})`, retryable: false });
        }
        start = end + 1;
        tries = 0;
        continue;
      }
      const code = /"code"\s*:\s*"([^"]*)"/.exec(put.text)?.[1] ?? '';
      const transient = put.failure !== null || status === 429 || status >= 500;
      if (!transient || ++tries >= UPLOAD_CHUNK_TRIES) {
        if (put.failure) throw uploadFailure(put.failure, what);
        throw new CutoverError({ code: 'graph-error', message: `Microsoft Graph answered ${status} ${code} to ${what}`, retryable: transient, detail: `${status} ${code}` });
      }
      const retryAfter = Number(put.res?.headers.get('retry-after') ?? NaN);
      const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, this.maxRetryAfter()) : 2 ** (tries - 1);
      if (status === 429) this.options.onThrottled?.(wait);
      await new Promise((r) => setTimeout(r, wait * 1000));
      start = (await this.nextExpectedByte(uploadUrl)) ?? start;
    }
  }

  /** Where an upload session expects the next range to start, or null when it cannot be asked. */
  private async nextExpectedByte(uploadUrl: string): Promise<number | null> {
    try {
      const res = await fetch(uploadUrl, { method: 'GET', signal: AbortSignal.timeout(this.options.uploadChunkTimeoutMs ?? UPLOAD_CHUNK_TIMEOUT_MS) });
      if (!res.ok) return null;
      const body = (await res.json()) as { nextExpectedRanges?: unknown };
      const first = Array.isArray(body.nextExpectedRanges) ? body.nextExpectedRanges[0] : undefined;
      const n = typeof first === 'string' ? Number(/^(\d+)/.exec(first)?.[1]) : NaN;
      return Number.isSafeInteger(n) ? n : null;
    } catch {
      return null;
    }
  }

  private maxRetryAfter(): number {
    return this.options.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS;
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call(() => this.client.api(path).post(body) as Promise<T>, `POST ${path}`);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call(() => this.client.api(path).patch(body) as Promise<T>, `PATCH ${path}`);
  }

  delete(path: string): Promise<void> {
    return this.call(() => this.client.api(path).delete() as Promise<void>, `DELETE ${path}`);
  }

  /**
   * JSON $batch: split into calls of at most 20 requests and about 3 MB (batch-plan.ts). Every
   * request gets its own answer, whatever happens to the others: sub-requests answered 429 are sent
   * again after their Retry-After; a request too large for Graph is answered 413 without being sent;
   * and when a whole $batch call fails, each of its requests is answered with that failure (a 5xx
   * or a lost connection may have run some of them, so callers look before they send again) instead
   * of aborting every other batch. Only a sign-in failure ends the whole call.
   */
  async batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    const results = new Map<string, BatchResponse>();
    const { groups, tooLarge } = planBatches(requests);
    for (const r of tooLarge) {
      results.set(r.id, { id: r.id, status: 413, headers: {}, body: { error: { code: 'RequestEntityTooLarge', message: 'This request alone exceeds the 4 MB Microsoft Graph accepts; it was not sent.' } } });
    }
    let pending = groups.flatMap((g) => g.requests);
    for (let round = 0; pending.length > 0; round++) {
      const throttled: BatchRequest[] = [];
      let wait = 0;
      for (const group of planBatches(pending).groups) {
        for (const res of await this.sendBatch(group)) {
          if (res.status === 429 && round < BATCH_ROUNDS) {
            throttled.push(group.requests.find((r) => r.id === res.id)!);
            wait = Math.max(wait, Math.min(Number(res.headers['retry-after'] ?? '1') || 1, this.maxRetryAfter()));
          } else {
            results.set(res.id, res);
          }
        }
      }
      if (throttled.length > 0) {
        this.options.onThrottled?.(wait);
        await new Promise((r) => setTimeout(r, wait * 1000));
      }
      pending = throttled;
    }
    return requests.map((r) => results.get(r.id) ?? { id: r.id, status: 429, body: { error: { code: 'TooManyRequests', message: 'Still throttled after several tries' } }, headers: {} });
  }

  /** One $batch call; its outer failure becomes each request's answer. */
  private async sendBatch(group: { requests: BatchRequest[]; bytes: number }): Promise<BatchResponse[]> {
    let reply: unknown;
    try {
      reply = await this.post('/$batch', await batchBody(group));
    } catch (err) {
      if (err instanceof CutoverError && err.code === 'sign-in-required') throw err;
      const status = graphStatus(err) ?? 503;
      const body = { error: { code: graphErrorCode(err) ?? 'BatchFailed', message: err instanceof Error ? err.message : String(err) } };
      return group.requests.map((r) => ({ id: r.id, status, body, headers: {} }));
    }
    const answers = Array.isArray((reply as { responses?: unknown } | null)?.responses) ? (reply as { responses: unknown[] }).responses : [];
    const byId = new Map<string, BatchResponse>();
    for (const a of answers) {
      const res = a as { id?: unknown; status?: unknown; body?: unknown; headers?: unknown };
      if (typeof res.id !== 'string' || typeof res.status !== 'number') continue;
      byId.set(res.id, { id: res.id, status: res.status, body: res.body ?? null, headers: lowerKeys(isStringRecord(res.headers) ? res.headers : {}) });
    }
    // A request the reply does not mention may or may not have run: answered like a lost connection.
    return group.requests.map((r) => byId.get(r.id) ?? { id: r.id, status: 503, body: { error: { code: 'NoAnswer', message: 'Microsoft Graph did not answer this request of the batch.' } }, headers: {} });
  }

  private async call<T>(action: () => Promise<T>, what: string): Promise<T> {
    return this.limiter(async () => {
      try {
        return await action();
      } catch (err) {
        if (err instanceof GraphError && err.statusCode === 401) {
          // The token may have expired early or been revoked: one fresh token, one more try.
          this.forceNextToken = true;
          try {
            return await action();
          } catch (again) {
            throw toGraphError(again, what);
          }
        }
        throw toGraphError(err, what);
      }
    });
  }
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return !!v && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string');
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A PUT that never got an answer: timed out, or the connection broke. */
function uploadFailure(err: unknown, what: string): CutoverError {
  const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  return new CutoverError(
    { code: timedOut ? 'timeout' : 'host-unreachable', message: timedOut ? `Microsoft Graph did not answer ${what} in time.` : `Microsoft Graph could not be reached for ${what}.`, retryable: true, detail: err instanceof Error ? err.message : String(err) },
    { cause: err },
  );
}

export function toGraphError(err: unknown, what: string): CutoverError {
  if (err instanceof CutoverError) return err;
  if (err instanceof GraphError) {
    const status = err.statusCode;
    const code = err.code ?? '';
    const retryable = status === 429 || status >= 500;
    return new CutoverError(
      { code: status === 401 ? 'sign-in-required' : 'graph-error', message: `Microsoft Graph answered ${status} ${code} to ${what}: ${err.message}`, retryable, detail: `${status} ${code}` },
      { cause: err },
    );
  }
  return new CutoverError({ code: 'host-unreachable', message: `Microsoft Graph could not be reached for ${what}: ${(err as Error)?.message ?? err}`, retryable: true }, { cause: err });
}

/** Graph's error code of a failed call (e.g. "MailboxNotEnabledForRESTAPI"), if any. */
export function graphErrorCode(err: unknown): string | null {
  const cause = err instanceof CutoverError ? err.cause : err;
  return cause instanceof GraphError ? (cause.code ?? null) : null;
}

export function graphStatus(err: unknown): number | null {
  const cause = err instanceof CutoverError ? err.cause : err;
  return cause instanceof GraphError ? cause.statusCode : null;
}
