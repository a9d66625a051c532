import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, normalize } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CutoverApi } from '../../shared/app-api.js';
import { dispatch } from '../rpc/dispatch.js';

export interface WebHostOptions {
  port: number;
  /** Folder with index.html and main.js (the renderer bundle). */
  assetsDir: string;
  api: CutoverApi;
}

export interface RunningWebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml' };
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves the renderer and the typed API to a browser on 127.0.0.1 only. Every request must carry
 * the per-launch secret (in the URL the host prints, then in a same-site cookie) and, where a
 * browser sends one, this host's own Origin; anything else gets 403 and no data.
 */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const token = randomBytes(24).toString('base64url');
  let origin = '';
  const server: Server = createServer((req, res) => serve(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const authorized = (req: IncomingMessage): boolean => {
    const url = new URL(req.url ?? '/', origin);
    const given = url.searchParams.get('token') ?? /(?:^|;\s*)cutover_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
    const from = req.headers.origin;
    return from === undefined || from === origin;
  };

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (!authorized(req)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden');
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = normalize(join(options.assetsDir, path));
    if (!file.startsWith(normalize(options.assetsDir)) || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      // The secret travels once in the printed URL; afterwards the page's own requests carry it here.
      'Set-Cookie': `cutover_token=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end(body);
  };

  server.on('upgrade', (req, socket, head) => {
    if (!authorized(req) || new URL(req.url ?? '/', origin).pathname !== '/rpc') {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  const connection = (ws: WebSocket): void => {
    const unsubscribe = options.api.onEvent((event) => ws.send(JSON.stringify({ event })));
    ws.on('close', unsubscribe);
    ws.on('message', async (data) => {
      let message: { id?: unknown; method?: unknown; args?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        ws.send(JSON.stringify({ id: null, error: { code: 'usage', message: 'The message is not JSON.', retryable: false } }));
        return;
      }
      const result = await dispatch(options.api, message.method, message.args);
      ws.send(JSON.stringify(result.ok ? { id: message.id, result: result.value ?? null } : { id: message.id, error: result.error }));
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
