import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { EngineApi } from '../../shared/app-api.js';
import { fileNameSchema, filePurposeSchema } from '../../shared/chosen-files.js';
import { CutoverError, type CutoverErrorData } from '../../shared/errors.js';
import { noTokenPage, wrongAddressPage } from './no-token-page.js';
import { RPC_FRAME_HARD_LIMIT, serveRpcSocket } from './rpc-socket.js';
import { UploadError, type UploadStore } from './upload-store.js';

export interface WebHostOptions {
  port: number;
  /** Folder with index.html, main.js and styles.css (the renderer bundle). */
  assetsDir: string;
  api: EngineApi;
  /** Where the page's chosen files are streamed to; the same store resolves refs for the engine. */
  uploads: UploadStore;
  /** The address the browser sees when it is not this host's own, e.g. an SSH tunnel's `http://localhost:8080`. */
  publicOrigin?: string;
}

export interface RunningWebHost {
  url: string;
  /** The public origin's address with the secret, when one was given. */
  publicUrl: string | null;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TOKEN_HEADER = 'x-cutover-token';

/**
 * Serves the renderer and the typed API to a browser on loopback only (127.0.0.1, and ::1 where
 * the system has IPv6). Every request must carry the per-launch secret: the page's address
 * (`?token=`, also added to its own script and style URLs), the WebSocket's URL, or the upload's
 * `X-Cutover-Token` header. No cookie: cookies ignore ports, so any other server on 127.0.0.1 would
 * receive it. Where a browser sends an Origin (and always the Host), it must be this host's own
 * address (127.0.0.1, localhost or [::1] on its port) or the configured public origin; anything
 * else gets 403 and no data. A page opened without the secret says how to open the app.
 */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const token = randomBytes(24).toString('base64url');
  const publicOrigin = options.publicOrigin ? new URL(options.publicOrigin).origin : null;
  let origins = new Set<string>();
  let hosts = new Set<string>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: RPC_FRAME_HARD_LIMIT });
  wss.on('error', () => undefined);
  wss.on('wsClientError', (_err, socket) => socket.destroy());

  const hasToken = (given: string | null | undefined): boolean => {
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const fromUs = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    return hosts.has(String(req.headers.host ?? '').toLowerCase()) && (origin === undefined || origins.has(origin));
  };
  const urlOf = (req: IncomingMessage): URL => new URL(req.url ?? '/', 'http://cutover.invalid');

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = urlOf(req);
    const page = url.pathname === '/' || url.pathname === '/index.html';
    if (!fromUs(req)) return page && req.method === 'GET' ? explain(res, wrongAddressPage()) : forbidden(res);
    if (url.pathname === '/upload' && req.method === 'POST') {
      if (!hasToken(headerOf(req, TOKEN_HEADER))) return forbidden(res);
      return upload(req, res, url);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD, POST' }).end();
    if (!hasToken(url.searchParams.get('token'))) return page ? explain(res, noTokenPage()) : forbidden(res);
    const path = page ? '/index.html' : url.pathname;
    const file = normalize(join(options.assetsDir, path));
    if (!file.startsWith(normalize(options.assetsDir) + sep)) return void res.writeHead(404).end();
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return void res.writeHead(404).end();
    }
    // The page's own script and style carry the secret too, so no cookie is needed.
    if (page) body = Buffer.from(body.toString('utf8').replace(/(src|href)="\.\/(main\.js|styles\.css|icon\.svg)"/g, `$1="./$2?token=${token}"`));
    res.writeHead(200, {
      'Content-Type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const upload = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const purpose = filePurposeSchema.safeParse(url.searchParams.get('purpose'));
    const name = fileNameSchema.safeParse(url.searchParams.get('name'));
    if (!purpose.success || !name.success) {
      req.resume();
      return answer(res, 400, { error: { code: 'usage', message: 'The upload needs a purpose (contacts or calendar) and a file name.', retryable: false } });
    }
    try {
      const file = await options.uploads.receive(req, name.data, purpose.data);
      answer(res, 200, { file });
    } catch (err) {
      const error: CutoverErrorData = err instanceof CutoverError ? err.toData() : { code: 'internal', message: 'The upload could not be stored.', retryable: false };
      // Stop reading a refused upload once the answer is out; the connection closes.
      res.once('finish', () => req.destroy());
      answer(res, err instanceof UploadError ? err.status : 500, { error }, true);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = urlOf(req);
    if (url.pathname !== '/rpc' || !fromUs(req) || !hasToken(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveRpcSocket(ws, options.api));
  };

  const servers: Server[] = [];
  const listen = (host: string, port: number): Promise<Server> =>
    new Promise((resolve, reject) => {
      const server = createServer(onRequest);
      server.on('upgrade', onUpgrade);
      server.on('clientError', (_err, socket) => socket.destroy());
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        // Errors after listening (a broken connection) must never take the host down.
        server.on('error', () => undefined);
        resolve(server);
      });
    });
  const main = await listen('127.0.0.1', options.port);
  servers.push(main);
  const address = main.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  // [::1] on the same port, where the system has IPv6 loopback (browsers may resolve localhost to it).
  await listen('::1', port).then(
    (server) => servers.push(server),
    () => undefined,
  );
  const own = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  origins = new Set([...own.map((h) => `http://${h}`), ...(publicOrigin ? [publicOrigin] : [])]);
  hosts = new Set([...own, ...(publicOrigin ? [new URL(publicOrigin).host.toLowerCase()] : [])]);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    publicUrl: publicOrigin ? `${publicOrigin}/?token=${token}` : null,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** 403 with a page that tells a person what to do (static text, nothing from the request in it). */
function explain(res: ServerResponse, html: string): void {
  res.writeHead(403, { 'Content-Type': TYPES['.html']!, 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'Cache-Control': 'no-store' });
  res.end(html);
}

function forbidden(res: ServerResponse): void {
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('Forbidden');
}

function answer(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...(close ? { Connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}
