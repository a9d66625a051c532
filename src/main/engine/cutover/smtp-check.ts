import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { SmtpAdvice, SmtpCheckResult, SmtpStage } from '../../../shared/cutover-day-types.js';
import { CutoverError } from '../../../shared/errors.js';
import { loadCaFile } from '../net/ca-file.js';
import { adviceForAuthReply, parseReply, tlsProblem, type AuthContext } from './smtp-advice.js';

export interface SmtpCheckRequest {
  host: string;
  port: number;
  user: string;
  /** XOAUTH2 with a token for https://outlook.office.com/SMTP.Send (force: a fresh one), or a password. */
  credentials: { kind: 'oauth'; token: (force: boolean) => Promise<string> } | { kind: 'password'; password: string };
  /** Trust this CA in addition to the system's. */
  caFile?: string;
  signal?: AbortSignal;
  /** Per phase (connect, greeting, each reply). */
  timeoutMs?: number;
}

interface SmtpFailure extends Error {
  code?: string;
  response?: string;
}

/**
 * Can this mailbox send through SMTP AUTH? Connects, EHLO, STARTTLS (TLS 1.2 or newer, required),
 * EHLO, AUTH, and QUIT right after AUTH. It never sends a message: no MAIL FROM is ever issued
 * (nodemailer's SMTPConnection is used for the protocol; only connect, login and quit are called).
 */
export async function checkSmtp(request: SmtpCheckRequest): Promise<SmtpCheckResult> {
  const method = request.credentials.kind;
  const context: AuthContext = { user: request.user, host: request.host, port: request.port, method };
  const sent: string[] = [];
  const timeout = request.timeoutMs ?? 20_000;
  const connection = new SMTPConnection({
    host: request.host,
    port: request.port,
    secure: false,
    requireTLS: true,
    tls: { minVersion: 'TLSv1.2', rejectUnauthorized: true, ...(request.caFile ? { ca: [...rootCertificates, loadCaFile(request.caFile)] } : {}), ...(isIP(request.host) ? {} : { servername: request.host }) },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    socketCloseTimeout: 2000,
    // Only the verb of each command is kept (the stage we reached); nodemailer masks secrets anyway.
    transactionLog: true,
    logger: { level: () => undefined, debug: (entry: { tnx?: string } | undefined, text?: unknown) => void (entry?.tnx === 'client' && typeof text === 'string' && sent.push(text.split(' ')[0]!.toUpperCase())) },
  });
  // Every failure is also delivered to the step waiting for it; this keeps a late one from crashing the process.
  connection.on('error', () => undefined);
  // Closing makes the step in progress end ('end' event), and the abort is then reported as cancelled.
  const abort = (): void => connection.close();
  request.signal?.addEventListener('abort', abort, { once: true });
  try {
    try {
      await new Promise<void>((resolve, reject) => {
        const closed = (): void => reject(new Error('The connection was closed.'));
        connection.once('error', reject);
        connection.once('end', closed);
        connection.connect(() => {
          connection.off('error', reject);
          connection.off('end', closed);
          resolve();
        });
      });
    } catch (err) {
      cancelled(request.signal);
      return connectFailure(err as SmtpFailure, sent.includes('STARTTLS') ? 'starttls' : 'connect', context);
    }
    if (!connection.secure) return { ok: false, stage: 'starttls', method, reply: null, advice: [{ code: 'starttls-refused', facts: { host: request.host } }] };
    if (!connection.allowsAuth) return { ok: false, stage: 'auth', method, reply: parseReply(connection.lastServerResponse), advice: [{ code: 'auth-not-offered', facts: { host: request.host } }] };

    let tokenError: unknown = null;
    const credentials = request.credentials;
    const auth =
      credentials.kind === 'oauth'
        ? { user: request.user, method: 'XOAUTH2', oauth2: tokenSource(request.user, credentials.token, (err) => (tokenError = err)) }
        : { user: request.user, pass: credentials.password };
    const failure = await new Promise<SmtpFailure | null>((resolve) => {
      const onError = (err: SmtpFailure): void => resolve(err);
      const closed = (): void => resolve(new Error('The connection was closed.'));
      connection.once('error', onError);
      connection.once('end', closed);
      connection.login(auth, (err) => {
        connection.off('error', onError);
        connection.off('end', closed);
        resolve(err ? (err as SmtpFailure) : null);
      });
    });
    cancelled(request.signal);
    if (tokenError) throw tokenError;
    const reply = parseReply(failure ? failure.response : connection.lastServerResponse);
    if (failure && !failure.response) return { ok: false, stage: 'auth', method, reply: null, advice: [{ code: 'unreachable', facts: { host: request.host, port: request.port } }] };
    await quit(connection);
    return { ok: failure === null, stage: 'auth', method, reply, advice: adviceForAuthReply(reply, context) };
  } finally {
    request.signal?.removeEventListener('abort', abort);
    connection.close();
  }
}

/** nodemailer's XOAUTH2 token holder, fed by our sign-in; a token we cannot get is our error, not the server's. */
function tokenSource(user: string, token: (force: boolean) => Promise<string>, onError: (err: unknown) => void): XOAuth2 {
  return new XOAuth2(
    {
      user,
      provisionCallback: (_user, renew, done) => {
        token(renew).then(
          (accessToken) => done(null, accessToken),
          (err: unknown) => {
            onError(err);
            done(err as Error);
          },
        );
      },
    },
    false,
  );
}

/** QUIT and wait (briefly) for the server to close: the check leaves nothing half-open. */
async function quit(connection: SMTPConnection): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    connection.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    connection.quit();
  });
}

function connectFailure(err: SmtpFailure, stage: SmtpStage, c: AuthContext): SmtpCheckResult {
  const reply = parseReply(err.response);
  const facts = { host: c.host };
  let advice: SmtpAdvice[];
  if (stage === 'starttls' || err.code === 'ETLS') {
    const tls = tlsProblem(err.message);
    advice = reply ? [{ code: 'starttls-refused', facts }] : tls === 'too-old' ? [{ code: 'tls-too-old', facts }] : tls === 'untrusted' ? [{ code: 'tls-untrusted', facts }] : [{ code: 'unexpected-reply', facts: { stage: 'starttls' } }];
    return { ok: false, stage: 'starttls', method: c.method, reply, advice };
  }
  advice = reply ? [{ code: 'unexpected-reply', facts: { stage: 'connect' } }] : [{ code: 'unreachable', facts: { host: c.host, port: c.port } }];
  return { ok: false, stage: 'connect', method: c.method, reply, advice };
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The SMTP check was cancelled.', retryable: false });
}
