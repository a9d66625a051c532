import type { SmtpAdvice, SmtpReply } from '../../../shared/cutover-day-types.js';

/**
 * One SMTP reply as data. Multi-line replies keep the first line's codes and join the texts.
 * "535 5.7.139 Authentication unsuccessful, …" → { code: 535, enhanced: "5.7.139", text: "Authentication unsuccessful, …" }
 */
export function parseReply(raw: string | false | undefined | null): SmtpReply | null {
  if (!raw) return null;
  const lines = raw.split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = /^(\d{3})[ -](?:([245]\.\d{1,3}\.\d{1,3})\s+)?(.*)$/.exec(lines[0] ?? '');
  if (!first) return null;
  const texts = lines.map((l) => l.replace(/^\d{3}[ -](?:[245]\.\d{1,3}\.\d{1,3}\s+)?/, '').trim());
  return { code: Number(first[1]), enhanced: first[2] ?? null, text: texts.join(' ').slice(0, 1000) };
}

export interface AuthContext {
  user: string;
  host: string;
  port: number;
  method: 'oauth' | 'password';
}

function domainOf(user: string): string {
  return user.slice(user.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * What the AUTH reply means and what to do. Exchange Online's texts (microsoft365.md §8):
 * "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the
 * Tenant|Mailbox", "… basic authentication is disabled", "… the user credentials were incorrect",
 * "… the request did not meet the criteria to be authenticated successfully"; "550 5.7.30 Basic
 * authentication is not supported for Client Submission"; "535 5.7.3 Authentication unsuccessful"
 * (XOAUTH2 refused); "5.7.57" client not authenticated; success "235 2.7.0".
 */
export function adviceForAuthReply(reply: SmtpReply | null, c: AuthContext): SmtpAdvice[] {
  const alternatives: SmtpAdvice = { code: 'device-alternatives', facts: { domain: domainOf(c.user) } };
  if (reply && reply.code === 235) {
    const settings: SmtpAdvice = { code: 'device-settings', facts: { host: c.host, port: c.port, user: c.user, method: c.method } };
    return c.method === 'password' ? [settings, { code: 'basic-auth-retiring', facts: {} }, alternatives] : [settings];
  }
  const text = reply?.text ?? '';
  const enhanced = reply?.enhanced ?? '';
  if (enhanced === '5.7.139') {
    const scope = /disabled for the tenant/i.test(text) ? 'tenant' : /disabled for the mailbox/i.test(text) ? 'mailbox' : null;
    if (scope || /SmtpClientAuthentication is disabled/i.test(text)) return [{ code: 'enable-smtp-auth', facts: { user: c.user, scope: scope ?? 'unknown' } }, alternatives];
    if (/basic authentication is disabled/i.test(text)) return [{ code: 'basic-auth-off', facts: { user: c.user } }, alternatives];
    if (/credentials were incorrect/i.test(text)) return [c.method === 'oauth' ? { code: 'check-token', facts: { user: c.user } } : { code: 'check-password', facts: { user: c.user } }];
    if (/did not meet the criteria/i.test(text)) return [{ code: 'policy-blocked', facts: { user: c.user } }, alternatives];
  }
  if (enhanced === '5.7.30' || /basic authentication is not supported/i.test(text)) return [{ code: 'basic-auth-off', facts: { user: c.user } }, alternatives];
  if (enhanced === '5.7.57') return [{ code: 'not-authenticated', facts: {} }];
  if (enhanced === '5.7.3' || reply?.code === 535) return [c.method === 'oauth' ? { code: 'check-token', facts: { user: c.user } } : { code: 'check-password', facts: { user: c.user } }];
  return [{ code: 'unexpected-reply', facts: { stage: 'auth' } }];
}

/** A TLS failure's message, as Node/OpenSSL word it, sorted into what the user can act on. */
export function tlsProblem(message: string): 'too-old' | 'untrusted' | null {
  if (/unsupported protocol|protocol version|wrong version number|no protocols available|version too low/i.test(message)) return 'too-old';
  if (/certificate|self[- ]signed|altnames|unable to verify|issuer/i.test(message)) return 'untrusted';
  return null;
}
