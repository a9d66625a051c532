import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server, able to cut every connection at will: the network
 * failure a long sync must survive.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private bytesFromServer = 0;
  private cutAfter: number | null = null;
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
    server.on('connection', (client) => proxy.pipe(client, targetPort));
    return proxy;
  }

  /** Cuts all connections once this many more bytes have come from the server. */
  cutAfterBytes(bytes: number): void {
    this.cutAfter = this.bytesFromServer + bytes;
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
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      this.bytesFromServer += d.length;
      client.write(d);
      if (this.cutAfter !== null && this.bytesFromServer >= this.cutAfter) {
        this.cutAfter = null;
        this.cutAll();
      }
    });
  }
}
