import type { ImapFlow } from 'imapflow';
import { CutoverError, isCutoverError } from '../../../shared/errors.js';
import type { TlsMode } from '../../../shared/imap-endpoint.js';
import { peerCertificate, probeFirstBytes, probeSpeaksTls, type CertificateFacts, type FirstBytes, type ProbeTarget } from './connect-diagnosis.js';
import { capitalise, TLS_DATE_CODES, TLS_NAME_CODES, toCutoverError, whoOf, type AccountLabel } from './imap-errors.js';

/** How long a plaintext server may stay silent before we ask whether the port expects TLS. */
const SILENCE_BEFORE_PROBE_MS = 2_000;
/** Bound of each probe (connect + first bytes, or a TLS handshake). */
const PROBE_LIMIT_MS = 5_000;

export interface ConnectContext {
  target: ProbeTarget;
  /** The host name as the user typed it (maybe not ASCII), for messages. */
  shownAs: string;
  mode: TlsMode;
  account: AccountLabel;
}

/**
 * `client.connect()`, but a wrong protocol on the port is found out from what the server sends
 * instead of after imapflow's 30-second greeting timeout, and a failure is explained with facts
 * (the server's first bytes, the certificate's names and dates). A plaintext IMAP server greets at
 * once; when one stays silent, a TLS handshake on a second connection tells whether the port
 * expects TLS from the first byte (a TLS server never speaks first, so silence alone proves nothing).
 */
export async function connectExplained(client: ImapFlow, ctx: ConnectContext): Promise<void> {
  const connecting = client.connect();
  let timer: NodeJS.Timeout | undefined;
  const watch =
    ctx.mode === 'implicit'
      ? null
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            if (client.greeting !== undefined) return;
            void diagnosePlain(ctx).then((error) => {
              if (error && client.greeting === undefined) reject(error);
            });
          }, SILENCE_BEFORE_PROBE_MS);
        });
  try {
    await (watch ? Promise.race([connecting, watch]) : connecting);
  } catch (err) {
    throw await explainConnectFailure(err, ctx);
  } finally {
    clearTimeout(timer);
  }
}

/** Silence or garbage on a plaintext/STARTTLS port: a TLS port, or not IMAP at all. Null when no verdict. */
async function diagnosePlain(ctx: ConnectContext): Promise<CutoverError | null> {
  // Both probes at once; a completed handshake decides without waiting for the silent one.
  const firstBytes = probeFirstBytes(ctx.target, PROBE_LIMIT_MS);
  if (await probeSpeaksTls(ctx.target, PROBE_LIMIT_MS)) return tlsOnPlainPort(ctx);
  const first = await firstBytes;
  if (first.kind === 'tls') return tlsOnPlainPort(ctx);
  if (first.kind === 'other') return notImap(ctx, first);
  return null;
}

async function explainConnectFailure(err: unknown, ctx: ConnectContext): Promise<CutoverError> {
  if (isCutoverError(err)) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  const message = String((err as { message?: unknown })?.message ?? '');
  const who = whoOf(ctx.account);
  const fail = (c: CutoverError['code'], text: string): CutoverError =>
    new CutoverError({ code: c, message: text, retryable: false, detail: [code, message].filter(Boolean).join(': ').slice(0, 300) }, { cause: err });

  if (ctx.mode === 'implicit' && (code.startsWith('ERR_SSL') || /wrong version number|packet length too long|unknown protocol|http request/i.test(message) || code === 'ECONNRESET' || code === 'ClosedAfterConnectTLS')) {
    // The handshake met something that is not TLS: look at what the server says on its own.
    const first = await probeFirstBytes(ctx.target, PROBE_LIMIT_MS);
    if (first.kind === 'imap-greeting') {
      return fail('plaintext-on-tls-port', `${capitalise(who)} answered without encryption on port ${ctx.target.port} ("${first.line}"), where a connection encrypted from the first byte (implicit TLS) was expected.`);
    }
    if (first.kind === 'other') return notImap(ctx, first);
  }
  if (ctx.mode !== 'implicit' && ['GREETING_TIMEOUT', 'ClosedAfterConnectText', 'EConnectionClosed', 'NoConnection', 'ECONNRESET'].includes(code)) {
    const verdict = await diagnosePlain(ctx);
    if (verdict) return verdict;
  }
  if (TLS_NAME_CODES.has(code) || TLS_DATE_CODES.has(code)) {
    const cert = await peerCertificate(ctx.target, ctx.mode === 'implicit' ? 'implicit' : 'starttls', PROBE_LIMIT_MS);
    if (cert) return TLS_NAME_CODES.has(code) ? nameMismatch(ctx, cert, fail) : dateProblem(ctx, cert, code, fail);
  }
  return toCutoverError(err, ctx.account, 'connecting');
}

function nameMismatch(ctx: ConnectContext, cert: CertificateFacts, fail: (c: CutoverError['code'], text: string) => CutoverError): CutoverError {
  const names = cert.names.slice(0, 5).join(', ') + (cert.names.length > 5 ? `, and ${cert.names.length - 5} more` : '');
  return fail('tls-name-mismatch', `The certificate of ${whoOf(ctx.account)} is made for ${names}, not for "${ctx.shownAs}".`);
}

function dateProblem(ctx: ConnectContext, cert: CertificateFacts, code: string, fail: (c: CutoverError['code'], text: string) => CutoverError): CutoverError {
  const day = (d: Date): string => d.toISOString().slice(0, 10);
  const text = code === 'CERT_NOT_YET_VALID' ? `is valid only from ${day(cert.validFrom)}` : `expired on ${day(cert.validTo)}`;
  return fail('tls-expired', `The certificate of ${whoOf(ctx.account)} ${text} (made for ${cert.names[0] ?? cert.subject}, issued by "${cert.issuer}").`);
}

function tlsOnPlainPort(ctx: ConnectContext): CutoverError {
  const asked = ctx.mode === 'starttls' ? 'a plain connection upgraded with STARTTLS' : 'an unencrypted connection';
  return new CutoverError({
    code: 'tls-on-plaintext-port',
    message: `${capitalise(whoOf(ctx.account))} expects encryption from the first byte (implicit TLS) on port ${ctx.target.port}, but ${asked} was asked for.`,
    retryable: false,
  });
}

function notImap(ctx: ConnectContext, first: Extract<FirstBytes, { kind: 'other' }>): CutoverError {
  return new CutoverError({
    code: 'not-imap',
    message: `The server at ${ctx.shownAs}:${ctx.target.port} does not speak IMAP; it sent "${first.excerpt}".`,
    retryable: false,
  });
}
