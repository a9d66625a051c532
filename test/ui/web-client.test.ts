import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { tempStateDir } from '../harness/accounts.js';
import { startWebHostProcess, type WebHostProcess } from '../harness/web-host-process.js';

/**
 * The page's own API client (src/renderer/api/web-client.ts) against the real web host, with the
 * ws package standing in for the browser's WebSocket (same onopen/onmessage/onclose/send surface).
 */
interface ClientError extends Error {
  data: { code: string; message: string };
}
interface WebClientModule {
  createWebClient(location: { protocol: string; host: string; search: string }): {
    appInfo(): Promise<unknown>;
    getWizardState(): Promise<Record<string, unknown>>;
    saveWizardState(state: Record<string, unknown>): Promise<void>;
  };
  ApiError: new (...args: never[]) => ClientError;
}
/** Loaded by path: the renderer compiles against the DOM, these tests against Node. */
const CLIENT_MODULE = '../../src/renderer/api/web-client.js';
let createWebClient: WebClientModule['createWebClient'];
let ApiError: WebClientModule['ApiError'];
let host: WebHostProcess;
const savedWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;
beforeAll(async () => {
  ({ createWebClient, ApiError } = (await import(CLIENT_MODULE)) as WebClientModule);
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  host = await startWebHostProcess(['--state-dir', tempStateDir()]);
}, 120_000);
afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = savedWebSocket;
  await host?.stop();
});

function pageAt(port: number, token: string): { protocol: string; host: string; search: string } {
  return { protocol: 'http:', host: `127.0.0.1:${port}`, search: `?token=${token}` };
}

/** A call must settle; this bound only turns a hang into a failure the test can name. */
function settled<T>(call: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} never settled`)), 30_000)));
  return Promise.race([call, hung]).finally(() => clearTimeout(timer));
}

describe('the web client never leaves a call waiting', () => {
  it('refuses a call too large for the host at once, without sending it, and the next call works', async () => {
    const api = createWebClient(pageAt(host.port, host.token));
    const state = await settled(api.getWizardState(), 'getWizardState');
    // About 2 MB: over the host's 1 MB per message, under the 8 MB at which it would close the socket.
    const big = { ...state, email: `${'a'.repeat(2 * 1024 * 1024)}@example.org` };
    const refused = await settled(api.saveWizardState(big), 'a 2 MB call').then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ClientError).data).toMatchObject({ code: 'usage', message: expect.stringMatching(/saveWizardState is \d+ bytes; at most 1048576 can be sent/) });
    expect(await settled(api.appInfo(), 'appInfo')).toEqual({ version: '0.1.0', host: 'web' });
  });

  it('fails a waiting call, instead of leaving it, when the host answers an error it could not attribute (id null); the next call reconnects', async () => {
    // A host that answers the first frame with an unattributed error and every later one properly.
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    let frames = 0;
    let connections = 0;
    server.on('connection', (ws) => {
      connections++;
      ws.on('message', (data) => {
        const { id } = JSON.parse(String(data)) as { id: number };
        ws.send(JSON.stringify(frames++ === 0 ? { id: null, error: { code: 'usage', message: 'The message is not JSON.', retryable: false } } : { id, result: { version: 'fake', host: 'web' } }));
      });
    });
    try {
      const api = createWebClient(pageAt((server.address() as { port: number }).port, 'secret'));
      const first = await settled(api.appInfo(), 'the call answered with id null').then(
        () => null,
        (err: unknown) => err,
      );
      expect((first as ClientError).data).toMatchObject({ code: 'connection-lost' });
      expect(await settled(api.appInfo(), 'the next call')).toEqual({ version: 'fake', host: 'web' });
      expect(connections).toBe(2);
    } finally {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
