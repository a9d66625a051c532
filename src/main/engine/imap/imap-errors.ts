import { CutoverError, isCutoverError, type ErrorCode } from '../../../shared/errors.js';

/** Which account an error belongs to, so messages can say "the old mailbox" or "the new one". */
export interface AccountLabel {
  role: 'source' | 'target';
  /** user@host:port, never a password. */
  display: string;
}

interface ImapflowLikeError {
  code?: unknown;
  message?: unknown;
  authenticationFailed?: unknown;
  responseStatus?: unknown;
  responseText?: unknown;
  serverResponseCode?: unknown;
  throttleReset?: unknown;
}

/** Certificate problems, told apart: who signed it, for which name, and when it is valid. */
const TLS_UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
]);
export const TLS_DATE_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
export const TLS_NAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** imapflow's size limits (see IMAP_LIMITS in imap-connection.ts): the server sent more than any real answer. */
const TOO_LARGE_CODES = new Set(['LineTooLarge', 'LiteralTooLarge', 'ResponseTooLarge', 'TooManyTokens']);

const CONNECTION_LOST_CODES = new Set([
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'StateLogout',
]);

/** Why a host could not be reached, as facts (the socket's code stays in `detail`). */
const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: 'the host name does not exist',
  EAI_AGAIN: 'the host name could not be looked up just now',
  ECONNREFUSED: 'nothing accepts connections on that port',
  EHOSTUNREACH: 'there is no route to the host',
  ENETUNREACH: 'there is no route to the host',
};

const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'ETIMEDOUT']);

function fields(err: unknown): ImapflowLikeError {
  return typeof err === 'object' && err !== null ? (err as ImapflowLikeError) : {};
}

/** The server's own words for a refused command ("NO [LIMIT] Mail too large"), if any. */
export function serverText(err: unknown): string | undefined {
  const f = fields(err);
  if (typeof f.responseText === 'string' && f.responseText) {
    const code = typeof f.serverResponseCode === 'string' ? `[${f.serverResponseCode}] ` : '';
    return `${code}${f.responseText}`;
  }
  return undefined;
}

/** True when the server answered the command with NO or BAD (the connection is still fine). */
export function isCommandRefusal(err: unknown): boolean {
  const status = fields(err).responseStatus;
  return status === 'NO' || status === 'BAD';
}

/**
 * Turns whatever imapflow or the socket threw into a CutoverError whose message names the account
 * and says what to do next. Graded by blast radius: `retryable` errors are connection-level.
 */
export function toCutoverError(err: unknown, account: AccountLabel, doing: string): CutoverError {
  if (isCutoverError(err)) return err;
  const f = fields(err);
  const code = typeof f.code === 'string' ? f.code : '';
  const who = whoOf(account);
  const make = (c: ErrorCode, message: string, retryable: boolean): CutoverError =>
    new CutoverError({ code: c, message, retryable, detail: detailOf(err) }, { cause: err });

  if (f.authenticationFailed === true || f.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return make('auth-failed', `Sign-in to ${who} was refused: check the user name and password (or app password).`, false);
  }
  if (TLS_NAME_CODES.has(code)) {
    return make('tls-name-mismatch', `The certificate of ${who} is made for other host names.`, false);
  }
  if (TLS_DATE_CODES.has(code)) {
    return make('tls-expired', `The certificate of ${who} is ${code === 'CERT_NOT_YET_VALID' ? 'not valid yet' : 'expired'}.`, false);
  }
  if (TLS_UNTRUSTED_CODES.has(code)) {
    return make('tls-untrusted', `The certificate of ${who} is not trusted: it is not signed by a certificate authority this computer trusts.`, false);
  }
  if (code.startsWith('ERR_SSL') || code === 'ERR_TLS_HANDSHAKE_TIMEOUT' || /SSL routines|wrong version number/i.test(String(f.message))) {
    return make('tls-failed', `The encrypted connection to ${who} could not be set up: the TLS handshake failed.`, false);
  }
  if (TOO_LARGE_CODES.has(code)) {
    // Not retryable: a server that floods once floods again on every reconnect.
    return make('response-too-large', `${capitalise(who)} sent a response larger than Cutover accepts while ${doing}; the connection was closed.`, false);
  }
  if (Object.hasOwn(UNREACHABLE, code)) {
    return make('host-unreachable', `Could not reach ${who}: ${UNREACHABLE[code]}.`, code !== 'ENOTFOUND');
  }
  if (code === 'ETHROTTLE') {
    // Microsoft 365: "Request is throttled. Suggested Backoff Time: N milliseconds" (imapflow: throttleReset).
    const waitMs = typeof f.throttleReset === 'number' && f.throttleReset > 0 ? f.throttleReset : 5_000;
    return new CutoverError(
      { code: 'throttled', message: `${capitalise(who)} asked us to slow down.`, retryable: true, retryAfterSeconds: Math.ceil(waitMs / 1000), detail: detailOf(err) },
      { cause: err },
    );
  }
  if (TIMEOUT_CODES.has(code)) {
    return make('timeout', `${capitalise(who)} stopped answering while ${doing}.`, true);
  }
  if (CONNECTION_LOST_CODES.has(code)) {
    return make('connection-lost', `The connection to ${who} was lost while ${doing}.`, true);
  }
  if (isCommandRefusal(err)) {
    return make('server-refused', `${capitalise(who)} refused ${doing}: ${serverText(err) ?? 'no reason given'}.`, false);
  }
  if (code === 'MissingServerExtension') {
    return make('server-refused', `${capitalise(who)} lacks a required IMAP feature while ${doing}.`, false);
  }
  // The library's own words stay in `detail` (logs); the message keeps to what we know.
  return make('connection-lost', `Unexpected problem with ${who} while ${doing}${code ? ` (${code})` : ''}.`, true);
}

/** "the old (source) mailbox anna@imap.example:993", the subject of every message about an account. */
export function whoOf(account: AccountLabel): string {
  return `the ${account.role === 'source' ? 'old (source)' : 'new (target)'} mailbox ${account.display}`;
}

function detailOf(err: unknown): string | undefined {
  const f = fields(err);
  const parts = [typeof f.code === 'string' ? f.code : undefined, serverText(err) ?? (typeof f.message === 'string' ? f.message : undefined)];
  const text = parts.filter(Boolean).join(': ');
  return text || undefined;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
