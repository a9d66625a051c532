import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { describeIssues, type EngineApi } from '../../shared/app-api.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import { leadingId, RPC_MESSAGE_LIMIT } from '../../shared/rpc-frame.js';
import { dispatch } from '../rpc/dispatch.js';

export { RPC_MESSAGE_LIMIT };
/** Frames above this are not even buffered: ws closes the socket (1009) and the page reconnects. */
export const RPC_FRAME_HARD_LIMIT = 8 * RPC_MESSAGE_LIMIT;
/** Calls one page may have running at once; more are refused, not queued. */
const MAX_CALLS_IN_FLIGHT = 32;

const callSchema = z.object({
  id: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().max(64)]),
  method: z.string().max(100),
  args: z.array(z.unknown()).max(16),
});

type Id = z.infer<typeof callSchema>['id'] | null;

/**
 * One page's WebSocket: every frame is size-checked, parsed and validated before anything uses it,
 * and anything wrong (binary, too big, not JSON, `null`, not a call) gets an error reply and
 * nothing else. The reply names the frame's id wherever it can be read (from the frame's start, even
 * in a frame refused for its size or type), so the page settles exactly that call; the page's own
 * client never sends a frame whose id cannot be read (shared/rpc-frame.ts). Nothing a frame contains
 * can throw out of here or leave a rejected promise behind.
 */
export function serveRpcSocket(ws: WebSocket, api: EngineApi): void {
  let inFlight = 0;
  const reply = (message: { id: Id; result?: unknown; error?: CutoverErrorData } | { event: unknown }): void => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch {
      text = JSON.stringify({ id: 'id' in message ? message.id : null, error: { code: 'internal', message: 'The answer could not be encoded.', retryable: false } });
    }
    // The callback swallows a socket that closed in between; the close handler cleans up.
    ws.send(text, () => undefined);
  };
  const refuse = (id: Id, message: string): void => reply({ id, error: { code: 'usage', message, retryable: false } });

  const unsubscribe = api.onEvent((event) => reply({ event }));
  ws.on('close', unsubscribe);
  // ws reports protocol violations and oversized frames here, then closes the socket itself.
  ws.on('error', () => undefined);

  const handle = async (data: RawData, isBinary: boolean): Promise<void> => {
    // Read before anything is refused: the id at the frame's start (the client writes it first).
    const early = leadingId(startOf(data));
    if (isBinary) return refuse(early, 'Binary messages are not accepted.');
    const size = byteLength(data);
    if (size > RPC_MESSAGE_LIMIT) return refuse(early, `The message is ${size} bytes; at most ${RPC_MESSAGE_LIMIT} are accepted.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(textOf(data));
    } catch {
      return refuse(early, 'The message is not JSON.');
    }
    const call = callSchema.safeParse(parsed);
    if (!call.success) return refuse(idOf(parsed) ?? early, `The message is not an API call: ${describeIssues(call.error)}.`);
    const { id, method, args } = call.data;
    if (inFlight >= MAX_CALLS_IN_FLIGHT) return refuse(id, `More than ${MAX_CALLS_IN_FLIGHT} calls are already running.`);
    inFlight++;
    try {
      const result = await dispatch(api, method, args);
      reply(result.ok ? { id, result: result.value ?? null } : { id, error: result.error });
    } catch {
      reply({ id, error: { code: 'internal', message: 'The call could not be handled.', retryable: false } });
    } finally {
      inFlight--;
    }
  };
  ws.on('message', (data, isBinary) => {
    handle(data, isBinary).catch(() => reply({ id: leadingId(startOf(data)), error: { code: 'internal', message: 'The message could not be handled.', retryable: false } }));
  });
}

/** The first bytes of a frame as text: enough for its id, whatever the frame's size. */
function startOf(data: RawData): string {
  const first = Array.isArray(data) ? data[0] : data;
  if (!first) return '';
  const bytes = first instanceof ArrayBuffer ? Buffer.from(first, 0, Math.min(first.byteLength, 128)) : first.subarray(0, 128);
  return bytes.toString('utf8');
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** The id of a refused call, when it has a usable one, so the page can settle that call. */
function idOf(value: unknown): Id {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = (value as { id: unknown }).id;
  return (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length <= 64) ? id : null;
}
