import { mailAccountSchema } from '../../shared/app-api.js';

/**
 * Checks for what a person types, each answering with the sentence shown beside the field (or null
 * when the value is fine). They accept exactly what the engine's argument schemas accept, so a value
 * that passes here is never refused later with a validator's message.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function checkEmail(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter the e-mail address.';
  if (!EMAIL.test(t) || t.length > 320) return 'This does not look like an e-mail address: it should look like name@example.com.';
  return null;
}

export function checkHost(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter the server name, for example imap.example.com.';
  if (/\s/.test(t)) return 'A server name has no spaces: for example imap.example.com.';
  if (t.includes('@') || t.includes('/') || (t.includes(':') && !t.startsWith('['))) return 'Enter only the server’s name, for example imap.example.com, without “@”, “/” or a port.';
  if (!mailAccountSchema.shape.host.safeParse(t).success) return 'A server name has only letters, digits, dots and hyphens, for example imap.example.com.';
  return null;
}

export function checkPort(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter the port: a number from 1 to 65535 (usually 993).';
  if (!/^\d+$/.test(t)) return 'The port is a number from 1 to 65535 (usually 993), with no letters or spaces.';
  const n = Number(t);
  if (n < 1 || n > 65535) return 'The port must be between 1 and 65535: usually 993 for SSL/TLS, 143 for STARTTLS.';
  return null;
}

export function checkUser(text: string): string | null {
  if (!text.trim()) return 'Enter the user name: usually your full e-mail address.';
  if (text.length > 320) return 'This user name is too long.';
  return null;
}

export function checkPassword(text: string): string | null {
  if (!text) return 'Enter the password. Cutover keeps it only while this window is open.';
  if (text.length > 1024) return 'This password is too long.';
  return null;
}

export function checkClientId(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  return GUID.test(t) ? null : 'A client ID looks like 11111111-2222-3333-4444-555555555555: your admin finds it on the app registration’s overview page.';
}

export function checkTenant(text: string): string | null {
  const t = text.trim();
  if (!t || t === 'organizations' || t === 'common' || GUID.test(t) || DOMAIN.test(t)) return null;
  return 'Enter your organisation’s domain (for example contoso.com) or its tenant ID.';
}

export function checkWebAddress(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter the server’s address, for example https://dav.example.com/.';
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return 'This is not a web address: it starts with https:// (for example https://dav.example.com/).';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The address starts with https:// (for example https://dav.example.com/).';
  return null;
}

/** The domain of an e-mail address ("contoso.com"), or null. */
export function domainOf(email: string): string | null {
  const at = email.trim().lastIndexOf('@');
  const domain = at >= 0 ? email.trim().slice(at + 1).toLowerCase() : '';
  return DOMAIN.test(domain) ? domain : null;
}

/** A domain name (contoso.com) or a mail server's host name (contoso-com.mail.protection.outlook.com); `what` names it in the sentence. */
export function checkDomainName(text: string, what: 'domain' | 'mx'): string | null {
  const t = text.trim().replace(/\.$/, '');
  if (!t) return what === 'domain' ? 'Enter your domain: the part of your address after the @, for example contoso.com.' : null;
  if (/\s/.test(t) || t.includes('@') || t.includes('/')) return what === 'domain' ? 'Enter only the domain, for example contoso.com, without spaces, “@” or “/”.' : 'Paste only the MX value, for example contoso-com.mail.protection.outlook.com, without spaces.';
  if (!DOMAIN.test(t)) return what === 'domain' ? 'A domain has letters, digits, dots and hyphens, for example contoso.com.' : 'An MX value looks like contoso-com.mail.protection.outlook.com or contoso-com.k-v1.mx.microsoft.';
  return null;
}
