import dns2 from 'dns2';

const { Packet } = dns2;

/** What one test DNS server answers for one domain; tests change it while the server runs. */
export interface TestZone {
  domain: string;
  mx: { host: string; priority: number }[];
  /** TTL sent with the MX records (a caching resolver would send what is left of it). */
  mxTtl: number;
  txt: string[];
  /** Target of autodiscover.DOMAIN, or null for no record. */
  autodiscover: string | null;
  /** The domain's NS records and their addresses (answered as A records). */
  nameServers: { name: string; address: string }[];
}

/**
 * A real DNS server (dns2) on a loopback address, answering MX, TXT, CNAME, NS, A and ANY from a
 * zone the test can replace at any moment. Unknown names get NXDOMAIN, known names without that
 * record type an empty NOERROR answer (NODATA), as real servers do.
 */
export class TestDnsServer {
  readonly queries: { name: string; type: number }[] = [];
  private constructor(
    private readonly server: ReturnType<typeof dns2.createServer>,
    readonly address: string,
    readonly port: number,
    public zone: TestZone,
  ) {}

  /** `host:port` as Node's setServers and CUTOVER_DNS_SERVERS take it. */
  get text(): string {
    return `${this.address}:${this.port}`;
  }

  static async start(zone: TestZone, where: { address?: string; port?: number } = {}): Promise<TestDnsServer> {
    let self: TestDnsServer | null = null;
    const server = dns2.createServer({
      udp: true,
      handle: (request, send) => {
        const response = Packet.createResponseFromRequest(request);
        const question = request.questions[0];
        if (self && question) {
          self.queries.push({ name: question.name, type: question.type });
          const { known, answers } = self.answer(question.name.toLowerCase(), question.type);
          response.answers.push(...answers);
          if (!known) response.header.rcode = Packet.RCODE.NXDOMAIN;
        }
        response.header.aa = 1;
        send(response);
      },
    });
    const address = where.address ?? '127.0.0.1';
    const bound = await server.listen({ udp: { port: where.port ?? 0, address } });
    const port = bound.udp?.port;
    if (!port) throw new Error('the test DNS server did not bind');
    self = new TestDnsServer(server, address, port, zone);
    return self;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  private answer(name: string, type: number): { known: boolean; answers: ReturnType<typeof record>[] } {
    const z = this.zone;
    const any = type === Packet.TYPE.ANY;
    const answers: ReturnType<typeof record>[] = [];
    if (name === z.domain) {
      if (any || type === Packet.TYPE.MX) for (const m of z.mx) answers.push(record(name, Packet.TYPE.MX, z.mxTtl, { exchange: m.host, priority: m.priority }));
      if (any || type === Packet.TYPE.TXT) for (const t of z.txt) answers.push(record(name, Packet.TYPE.TXT, 3600, { data: t }));
      if (any || type === Packet.TYPE.NS) for (const n of z.nameServers) answers.push(record(name, Packet.TYPE.NS, 86400, { ns: n.name }));
      return { known: true, answers };
    }
    if (name === `autodiscover.${z.domain}`) {
      if (z.autodiscover === null) return { known: false, answers };
      answers.push(record(name, Packet.TYPE.CNAME, 3600, { domain: z.autodiscover }));
      return { known: true, answers };
    }
    const ns = z.nameServers.find((n) => n.name === name);
    if (ns) {
      if (any || type === Packet.TYPE.A) answers.push(record(name, Packet.TYPE.A, 3600, { address: ns.address }));
      return { known: true, answers };
    }
    return { known: false, answers };
  }
}

function record(name: string, type: number, ttl: number, data: Record<string, unknown>): InstanceType<typeof Packet.Resource> {
  return Object.assign(new Packet.Resource(name, type, Packet.CLASS.IN, ttl), data);
}

/**
 * Authoritative servers of a test domain: one per loopback address (127.0.0.2, 127.0.0.3…), all on
 * the same port, since NS records carry addresses but no port (the CLI is told the port through
 * CUTOVER_DNS_PORT). Retries with a new port if another process holds it on one of the addresses.
 */
export async function startNameServers(zone: TestZone, count: number): Promise<{ servers: TestDnsServer[]; port: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const first = await TestDnsServer.start(zone, { address: '127.0.0.2' });
    const servers = [first];
    try {
      for (let i = 1; i < count; i++) servers.push(await TestDnsServer.start(zone, { address: `127.0.0.${i + 2}`, port: first.port }));
      return { servers, port: first.port };
    } catch {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
  throw new Error('no free port for the test name servers');
}
