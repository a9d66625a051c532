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
import { CutoverError } from '../../../shared/errors.js';
import { Semaphore } from './semaphore.js';

export interface GraphClientOptions {
  /** Returns an access token; `force` asks for a fresh one (after a 401). */
  getToken: (force: boolean) => Promise<string>;
  /** Graph root; CUTOVER_GRAPH_URL overrides it for tests and sovereign clouds. */
  baseUrl?: string;
  maxConcurrent?: number;
  /** Told when Graph throttles us, so the UI can say "waiting N s" instead of looking stuck. */
  onThrottled?: (waitSeconds: number) => void;
}

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchResponse {
  id: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const MAX_BATCH = 20;

/**
 * The one Microsoft Graph client. Built on the SDK's middleware chain with our own retry policy:
 * 429/503/504 are retried honouring Retry-After, except that a POST or PATCH is retried only on 429
 * (a throttled request was not executed; a 503/504 one may have been, and creating an item twice
 * is what we must never do — callers look before they send again).
 */
export class GraphClient {
  private readonly client: Client;
  private readonly limiter: Semaphore;
  private forceNextToken = false;

  constructor(private readonly options: GraphClientOptions) {
    const baseUrl = (options.baseUrl ?? process.env.CUTOVER_GRAPH_URL ?? 'https://graph.microsoft.com').replace(/\/$/, '') + '/';
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
    this.limiter = new Semaphore(options.maxConcurrent ?? 4);
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
   * JSON $batch, at most 20 requests per call (Graph's limit). Sub-requests answered 429 are sent
   * again after their Retry-After; every other answer is returned as it came.
   */
  async batch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    const results = new Map<string, BatchResponse>();
    let pending = requests;
    for (let round = 0; pending.length > 0; round++) {
      const throttled: BatchRequest[] = [];
      let wait = 0;
      for (let i = 0; i < pending.length; i += MAX_BATCH) {
        const chunk = pending.slice(i, i + MAX_BATCH);
        const reply: { responses: BatchResponse[] } = await this.post('/$batch', {
          requests: chunk.map((r) => ({ id: r.id, method: r.method, url: r.url, ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json', ...r.headers } } : r.headers ? { headers: r.headers } : {}) })),
        });
        for (const res of reply.responses) {
          const headers = lowerKeys(res.headers ?? {});
          if (res.status === 429 && round < 6) {
            throttled.push(chunk.find((r) => r.id === res.id)!);
            wait = Math.max(wait, Number(headers['retry-after'] ?? '1') || 1);
          } else {
            results.set(res.id, { ...res, headers });
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

  private async call<T>(action: () => Promise<T>, what: string): Promise<T> {
    return this.limiter.run(async () => {
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

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
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
