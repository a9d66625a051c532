import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';

/**
 * Short, bounded looks at a server that did not let us connect, to say *why* from what it sends
 * instead of waiting out a timeout: a plaintext IMAP server greets at once ("* OK …"), a TLS
 * server says nothing until it gets a TLS ClientHello, anything else is not IMAP at all. Used only
 * when connecting failed or stayed silent, never on the normal path. Nothing here sends
 * credentials, and every socket is closed within `limitMs`.
 */
export interface ProbeTarget {
  /** ASCII host name (punycode) or IP address. */
  host: string;
  port: number;
  /** SNI name; omitted for IP addresses. */
  servername?: string;
}

export type FirstBytes = { kind: 'imap-greeting'; line: string } | { kind: 'tls' } | { kind: 'other'; excerpt: string } | { kind: 'silent' };

const MAX_PROBE_BYTES = 512;

/** What the server sends on its own right after a plain TCP connect (up to one line, 512 bytes). */
export function probeFirstBytes(target: ProbeTarget, limitMs: number): Promise<FirstBytes> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket: Socket = netConnect({ host: target.host, port: target.port });
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(classifyFirstBytes(Buffer.concat(chunks, size).subarray(0, MAX_PROBE_BYTES)));
    };
    const timer = setTimeout(done, limitMs);
    socket.on('data', (data: Buffer) => {
      chunks.push(data);
      size += data.length;
      if (size >= MAX_PROBE_BYTES || data.includes(0x0a)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

/** True when the port completes (or answers) a TLS handshake, i.e. it expects TLS from the first byte. */
export function probeSpeaksTls(target: ProbeTarget, limitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const socket: TLSSocket = tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: false, ...(target.servername ? { servername: target.servername } : {}) });
    const finish = (answer: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(false), limitMs);
    socket.on('secureConnect', () => finish(true));
    // A TLS alert (wrong version, no shared cipher) is still a TLS server answering.
    socket.on('error', (err: NodeJS.ErrnoException) => finish(/^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT/.test(err.code ?? '')));
  });
}

export function classifyFirstBytes(bytes: Buffer): FirstBytes {
  if (bytes.length === 0) return { kind: 'silent' };
  // A TLS record: content type 20–23, then protocol version 3.x.
  if (bytes.length >= 2 && bytes[0]! >= 0x14 && bytes[0]! <= 0x17 && bytes[1] === 0x03) return { kind: 'tls' };
  const text = bytes.toString('latin1');
  if (/^\* (OK|PREAUTH|BYE)\b/i.test(text)) return { kind: 'imap-greeting', line: printable(text) };
  return { kind: 'other', excerpt: printable(text) };
}

/** The first line, printable ASCII only, at most 60 characters: safe to show and to log. */
function printable(text: string): string {
  const line = text.split(/\r?\n/)[0] ?? '';
  const clean = line.replace(/[^\x20-\x7e]/g, '.');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses the certificate is made for. */
  names: string[];
  validFrom: Date;
  validTo: Date;
}

/**
 * The certificate the server presents (without trusting it), for messages that say what is wrong
 * with it: for whom it was made, by whom, and until when. With STARTTLS the upgrade is done by
 * hand: greeting, `STARTTLS`, then the handshake. Resolves null when the server cannot be asked.
 */
export async function peerCertificate(target: ProbeTarget, mode: 'implicit' | 'starttls', limitMs: number): Promise<CertificateFacts | null> {
  const deadline = Date.now() + limitMs;
  let plain: Socket | undefined;
  try {
    if (mode === 'starttls') {
      plain = await plainConnect(target, deadline);
      await readLine(plain, deadline, (l) => /^\* (OK|PREAUTH)/i.test(l));
      plain.write('C1 STARTTLS\r\n');
      await readLine(plain, deadline, (l) => /^C1 OK/i.test(l));
    }
    return await new Promise<CertificateFacts | null>((resolve) => {
      const socket = tlsConnect({ ...(plain ? { socket: plain } : { host: target.host, port: target.port }), rejectUnauthorized: false, ...(target.servername ? { servername: target.servername } : {}) });
      const timer = setTimeout(() => finish(null), Math.max(0, deadline - Date.now()));
      function finish(facts: CertificateFacts | null): void {
        clearTimeout(timer);
        socket.destroy();
        resolve(facts);
      }
      socket.on('secureConnect', () => finish(factsOf(socket.getPeerCertificate())));
      socket.on('error', () => finish(null));
    });
  } catch {
    return null;
  } finally {
    plain?.destroy();
  }
}

function factsOf(cert: PeerCertificate): CertificateFacts | null {
  if (!cert || !cert.valid_to) return null;
  const cn = (part: PeerCertificate['subject'] | undefined): string => {
    const value = part?.CN ?? part?.O ?? '';
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const names = (cert.subjectaltname ?? '')
    .split(/,\s*/)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return { subject: cn(cert.subject), issuer: cn(cert.issuer), names: names.length ? names : [cn(cert.subject)].filter(Boolean), validFrom: new Date(cert.valid_from), validTo: new Date(cert.valid_to) };
}

function plainConnect(target: ProbeTarget, deadline: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timeout'));
    }, Math.max(0, deadline - Date.now()));
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Reads lines until one matches; gives up on a 4 KB flood, on close or at the deadline. */
function readLine(socket: Socket, deadline: number, wanted: (line: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const stop = (err: Error | null): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onData = (data: Buffer): void => {
      buffer += data.toString('latin1');
      if (buffer.length > 4096) return stop(new Error('too much'));
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (wanted(line)) return stop(null);
      }
    };
    const onClose = (): void => stop(new Error('closed'));
    const timer = setTimeout(() => stop(new Error('timeout')), Math.max(0, deadline - Date.now()));
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}
