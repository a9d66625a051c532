import { BatchRequestContent, type BatchRequestBody } from '@microsoft/microsoft-graph-client';

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Graph runs at most 20 requests per $batch (https://learn.microsoft.com/en-us/graph/json-batching). */
export const MAX_BATCH_REQUESTS = 20;
/**
 * Graph refuses any request over 4 MB, a $batch included ("The maximum request length supported is
 * 4MB": https://github.com/microsoftgraph/microsoft-graph-docs/issues/11806).
 */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** A $batch is closed at about 3 MB, so the envelope and a request slightly larger than guessed still fit. */
export const BATCH_TARGET_BYTES = 3 * 1024 * 1024;

export interface BatchGroup {
  requests: BatchRequest[];
  bytes: number;
}

/**
 * Splits requests into $batch calls of at most 20 requests and about 3 MB each (long HTML bodies,
 * notes and photos add up quickly). A request that alone exceeds Graph's 4 MB limit cannot be sent
 * at all and is returned apart, so the caller reports it instead of failing the whole batch.
 */
export function planBatches(requests: BatchRequest[]): { groups: BatchGroup[]; tooLarge: BatchRequest[] } {
  const groups: BatchGroup[] = [];
  const tooLarge: BatchRequest[] = [];
  let current: BatchGroup = { requests: [], bytes: 0 };
  for (const r of requests) {
    const bytes = serializedBytes(r);
    if (bytes > MAX_REQUEST_BYTES - 1024) {
      tooLarge.push(r);
      continue;
    }
    if (current.requests.length > 0 && (current.requests.length >= MAX_BATCH_REQUESTS || current.bytes + bytes > BATCH_TARGET_BYTES)) {
      groups.push(current);
      current = { requests: [], bytes: 0 };
    }
    current.requests.push(r);
    current.bytes += bytes;
  }
  if (current.requests.length > 0) groups.push(current);
  return { groups, tooLarge };
}

/** Bytes a request takes inside the $batch JSON (with its Content-Type header when it has a body). */
export function serializedBytes(r: BatchRequest): number {
  return Buffer.byteLength(JSON.stringify(wireShape(r)), 'utf8') + 1;
}

function wireShape(r: BatchRequest): Record<string, unknown> {
  const headers = r.body !== undefined ? { 'content-type': 'application/json', ...r.headers } : r.headers;
  return { id: r.id, method: r.method, url: r.url, ...(headers ? { headers } : {}), ...(r.body !== undefined ? { body: r.body } : {}) };
}

/**
 * The JSON body of one $batch call, built by the SDK's BatchRequestContent (which checks the ids and
 * the 20-request limit and writes each request as Graph expects). It needs absolute URLs; only the
 * path is kept, so the origin here is never contacted.
 */
export async function batchBody(group: BatchGroup): Promise<BatchRequestBody> {
  const content = new BatchRequestContent(
    group.requests.map((r) => ({
      id: r.id,
      request: new Request(`https://graph.microsoft.com${r.url.startsWith('/') ? '' : '/'}${r.url}`, {
        method: r.method,
        headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
        ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
      }),
    })),
  );
  return content.getContent();
}
