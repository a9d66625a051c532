import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';

/**
 * Servers that misbehave on purpose, on 127.0.0.1 only: garbage, endless lines, TLS where plain
 * text is expected, certificates for the wrong name or out of date. Each test makes its own and
 * stops it; every socket is destroyed on stop so nothing outlives the test.
 */
export interface HostileServer {
  port: number;
  /** Bytes the server wrote, all connections together. */
  bytesWritten(): number;
  stop(): Promise<void>;
}

export interface Certificate {
  key: string;
  cert: string;
}

export async function hostileServer(onSocket: (socket: Socket) => void, tls?: Certificate): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let written = 0;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      written += socket.bytesWritten;
      sockets.delete(socket);
    });
    onSocket(socket);
  };
  const server: Server = tls ? createTlsServer({ ...tls }, track) : createNetServer(track);
  server.on('tlsClientError', () => undefined);
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    }),
  );
  return {
    port,
    bytesWritten: () => written + [...sockets].reduce((sum, s) => sum + s.bytesWritten, 0),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * A minimal IMAP server: greets, answers every command with OK (CAPABILITY and LIST get their
 * untagged line first), and hands the socket to `onList` for the LIST answer. With `starttls`, it
 * offers STARTTLS and upgrades with that certificate.
 */
export function fakeImap(
  options: {
    onList?: (socket: Socket, tag: string) => void;
    /** A command other than the ones above (`line` without its CRLF); return false to answer it with OK. */
    onCommand?: (socket: Socket, tag: string, line: string) => boolean;
    /** More capabilities to announce (e.g. "LITERAL+"). */
    capabilities?: string;
    starttls?: Certificate;
  } = {},
): (socket: Socket) => void {
  // imapflow asks LIST "" "" for the delimiter while connecting; only a real listing goes to onList.
  const serve = (socket: Socket): void => {
    let buffer = '';
    const onData = (data: Buffer): void => {
      buffer += data.toString('latin1');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        const [tag = '*', command = ''] = line.split(' ');
        const verb = command.toUpperCase();
        if (verb === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN${options.capabilities ? ` ${options.capabilities}` : ''}${options.starttls && !(socket instanceof TLSSocket) ? ' STARTTLS' : ''}\r\n${tag} OK done\r\n`);
        else if (verb === 'STARTTLS' && options.starttls) {
          socket.off('data', onData);
          socket.write(`${tag} OK begin TLS\r\n`, () => {
            const secure = new TLSSocket(socket, { isServer: true, ...options.starttls });
            secure.on('error', () => undefined);
            serve(secure);
          });
          return;
        } else if (verb === 'LIST' && /^\S+ LIST "" ""$/i.test(line)) socket.write(`* LIST (\\Noselect) "/" ""\r\n${tag} OK done\r\n`);
        else if (verb === 'LIST' && options.onList) return options.onList(socket, tag);
        else if (verb === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else if (!options.onCommand?.(socket, tag, line)) socket.write(`${tag} OK done\r\n`);
      }
    };
    socket.on('data', onData);
  };
  return (socket) => {
    socket.write('* OK fake IMAP ready\r\n');
    serve(socket);
  };
}

/** Writes `chunk` forever, respecting backpressure, until the peer goes away. */
export function writeForever(socket: Socket, chunk: Buffer): void {
  const pump = (): void => {
    while (!socket.destroyed && socket.writable) {
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
}

/** A throwaway CA and leaf certificates signed by it, with chosen names and validity dates (EC keys: quick). */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'cutover-hostile-pki-'));
  readonly caFile = join(this.dir, 'ca.pem');

  constructor() {
    this.run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Cutover Hostile Test CA']);
    writeFileSync(join(this.dir, 'index.txt'), '');
    writeFileSync(join(this.dir, 'serial'), '1000\n');
    writeFileSync(
      join(this.dir, 'ca.cnf'),
      `[ca]\ndefault_ca = test\n[test]\ndir = ${this.dir}\ndatabase = $dir/index.txt\nnew_certs_dir = $dir\nserial = $dir/serial\ncertificate = $dir/ca.pem\nprivate_key = $dir/ca.key\ndefault_md = sha256\npolicy = anything\nunique_subject = no\n[anything]\ncommonName = supplied\n`,
    );
  }

  /** `names` like "DNS:mail.example.test"; dates as openssl's YYYYMMDDHHMMSSZ. */
  leaf(id: string, names: string, dates: { from: string; to: string }): Certificate {
    this.run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${id}`]);
    writeFileSync(join(this.dir, `${id}.ext`), `subjectAltName=${names}\n`);
    this.run(['ca', '-batch', '-config', 'ca.cnf', '-in', `${id}.csr`, '-out', `${id}.pem`, '-startdate', dates.from, '-enddate', dates.to, '-extfile', `${id}.ext`, '-notext']);
    return { key: readFileSync(join(this.dir, `${id}.key`), 'utf8'), cert: readFileSync(join(this.dir, `${id}.pem`), 'utf8') };
  }

  private run(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
  }
}
