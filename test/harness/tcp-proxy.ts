import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server, able to cut every connection at will: the network
 * failure a long sync must survive.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private bytesFromServer = 0;
  private cutAfter: number | null = null;
  /** Server data held back from clients (see holdWhenServerSays), per client, in order. */
  private holdOn: string | null = null;
  private holdAfter = 1;
  private readonly held = new Map<Socket, Buffer[]>();
  /** When set, a client connection beyond this many open ones is closed at once. */
  acceptAtMost: number | null = null;
  /** Client connections closed at once because of `acceptAtMost`. */
  refused = 0;
  private readonly clients = new Set<Socket>();
  private constructor(private readonly server: Server, readonly port: number) {}

  /** `listenPort` 0 picks a free port; a fixed one plays an SSH tunnel's local end. */
  static async start(targetPort: number, listenPort = 0): Promise<TcpProxy> {
    const server = createServer();
    const port = await new Promise<number>((resolve) => {
      server.listen(listenPort, '127.0.0.1', () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
    const proxy = new TcpProxy(server, port);
    server.on('connection', (client) => {
      // A server's limit on connections at once, as the client sees it: closed before the greeting.
      if (proxy.acceptAtMost !== null && proxy.clients.size >= proxy.acceptAtMost) {
        proxy.refused++;
        client.destroy();
        return;
      }
      proxy.pipe(client, targetPort);
    });
    return proxy;
  }

  /** Cuts all connections once this many more bytes have come from the server. */
  cutAfterBytes(bytes: number): void {
    this.cutAfter = this.bytesFromServer + bytes;
  }

  /**
   * From the `nth` server chunk containing `text` on (plaintext IMAP only), nothing the server sends
   * reaches any client until release(): e.g. "[APPENDUID" holds the answer to an APPEND the
   * server has already stored, so the client waits with its copy done on the server.
   */
  holdWhenServerSays(text: string, nth = 1): void {
    this.holdOn = text;
    this.holdAfter = nth;
  }

  /** True once something is being held back. */
  get holding(): boolean {
    return this.held.size > 0;
  }

  /** Delivers what was held and lets everything through again. */
  release(): void {
    this.holdOn = null;
    const held = [...this.held];
    this.held.clear();
    for (const [client, chunks] of held) for (const c of chunks) if (!client.destroyed) client.write(c);
  }

  /**
   * Every line clients sent, in order (plaintext IMAP only): tests count the commands a run sends,
   * e.g. that a no-op rerun sends no SELECT. Literal bytes of an APPEND show up as lines too.
   */
  readonly clientLines: string[] = [];
  /** Off by default: only a test that counts commands keeps the client's lines. */
  recordClientLines = false;

  /** The commands clients sent (the verb after the tag, with UID's sub-command: "UID FETCH"). */
  commands(): string[] {
    const out: string[] = [];
    for (const line of this.clientLines) {
      const m = /^\S+ (UID \S+|[A-Z][A-Z0-9-]*)(?: |$)/i.exec(line);
      if (m) out.push(m[1]!.toUpperCase());
    }
    return out;
  }

  get connectionsSeen(): number {
    return this.accepted;
  }

  private accepted = 0;

  cutAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise((r) => this.server.close(r));
  }

  private pipe(client: Socket, targetPort: number): void {
    this.accepted++;
    this.clients.add(client);
    client.once('close', () => this.clients.delete(client));
    const upstream = connect(targetPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    let lineTail = '';
    client.on('data', (d: Buffer) => {
      if (!this.recordClientLines) return void upstream.write(d);
      const lines = (lineTail + d.toString('latin1')).split('\r\n');
      lineTail = lines.pop() ?? '';
      this.clientLines.push(...lines);
      upstream.write(d);
    });
    let tail = '';
    upstream.on('data', (d: Buffer) => {
      this.bytesFromServer += d.length;
      const text = tail + d.toString('latin1');
      tail = text.slice(-64);
      if (this.held.size === 0 && this.holdOn !== null && text.includes(this.holdOn)) this.holdAfter--;
      if (this.held.size > 0 || (this.holdOn !== null && this.holdAfter <= 0)) {
        const list = this.held.get(client) ?? [];
        list.push(d);
        this.held.set(client, list);
        return;
      }
      client.write(d);
      if (this.cutAfter !== null && this.bytesFromServer >= this.cutAfter) {
        this.cutAfter = null;
        this.cutAll();
      }
    });
  }
}
