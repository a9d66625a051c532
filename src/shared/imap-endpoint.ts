import { CutoverError } from './errors.js';

/** How the connection is secured. `none` is plaintext and only ever allowed on loopback. */
export type TlsMode = 'implicit' | 'starttls' | 'none';

export interface ImapEndpoint {
  host: string;
  port: number;
  user: string;
  tls: TlsMode;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Parses `imaps://USER@HOST:PORT`, `imap://USER@HOST:PORT` (STARTTLS required) and
 * `imap://USER@HOST:PORT?tls=none` (plaintext, loopback only). USER may be percent-encoded.
 * Passwords are never part of the URL: one given there is refused so it cannot end up in shell history.
 */
export function parseImapUrl(text: string, role: 'source' | 'target'): ImapEndpoint {
  const fail = (why: string): never => {
    throw new CutoverError({ code: 'usage', message: `The ${role} URL "${redactUrl(text)}" ${why}.`, retryable: false });
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('is not a valid URL (expected imaps://USER@HOST:PORT)');
  }
  if (url.protocol !== 'imaps:' && url.protocol !== 'imap:') fail('must start with imaps:// or imap://');
  if (url.password) fail('must not contain a password; use the environment variable or the prompt instead');
  if (!url.username) fail('has no user name (expected imaps://USER@HOST:PORT)');
  if (!url.hostname) fail('has no host name');
  if (url.pathname && url.pathname !== '/' && url.pathname !== '') fail('must not have a path');
  let user: string;
  try {
    user = decodeURIComponent(url.username);
  } catch {
    return fail('has a badly percent-encoded user name');
  }
  const implicit = url.protocol === 'imaps:';
  const port = url.port ? Number(url.port) : implicit ? 993 : 143;
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail('has an invalid port');
  for (const key of url.searchParams.keys()) {
    if (key !== 'tls') fail(`has an unknown option "${key}"`);
  }
  const tlsParam = url.searchParams.get('tls');
  let tls: TlsMode = implicit ? 'implicit' : 'starttls';
  if (tlsParam !== null) {
    if (tlsParam !== 'none') fail('has an unknown tls option (only tls=none is accepted)');
    if (implicit) fail('uses imaps:// which is always encrypted; tls=none makes no sense there');
    tls = 'none';
  }
  // imap:// is not a "special" URL scheme, so an internationalized host name (bücher.example)
  // arrives percent-encoded; keep it as typed, the engine converts it to punycode to connect.
  let host: string;
  try {
    host = decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    return fail('has a badly percent-encoded host name');
  }
  if (tls === 'none' && !isLoopbackHost(host)) {
    fail('asks for an unencrypted connection to a host that is not this computer; that would send the password in clear text');
  }
  return { host, port, user, tls };
}

/** Removes anything password-like from a URL before it is shown. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

export function describeEndpoint(e: ImapEndpoint): string {
  return `${e.user}@${e.host}:${e.port}`;
}
