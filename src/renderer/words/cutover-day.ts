import type { DnsFinding, DnsLookupError, DnsReport, SmtpAdvice, SmtpCheckResult } from '../../shared/cutover-day-types.js';
import { count, dateTime, plural } from './numbers.js';

/**
 * The app's words for the cutover day's codes: the DNS check's findings and the SMTP check's advice.
 * Built from the codes and their facts only; the engine's and the server's sentences never reach the page.
 */

export interface CutoverDayWords {
  title: string;
  todo: string | null;
  /** A command for an administrator (Exchange Online PowerShell), shown in a box that can be copied. */
  adminCommand?: string;
  /** An address to hand on (an admin-consent page), shown in a box that can be copied. */
  link?: { label: string; url: string };
}

const ADMIN_CENTER_MX = 'the Microsoft 365 admin center shows the exact value under Settings → Domains → your domain → DNS records';

/** A TTL or a wait as people read it: "about 5 minutes", "1 hour", "2 days". */
export function duration(seconds: number): string {
  if (seconds < 90) return plural(Math.max(0, Math.round(seconds)), 'second', 'seconds');
  if (seconds >= 86400 && seconds % 86400 === 0) return plural(seconds / 86400, 'day', 'days');
  if (seconds < 3570) return plural(Math.round(seconds / 60), 'minute', 'minutes');
  if (seconds < 36 * 3600) {
    const hours = Math.round((seconds / 3600) * 10) / 10;
    return Number.isInteger(hours) ? plural(hours, 'hour', 'hours') : `${hours.toLocaleString()} hours`;
  }
  return plural(Math.round(seconds / 86400), 'day', 'days');
}

const LOOKUP: Record<DnsLookupError, string> = {
  timeout: 'did not answer in time',
  refused: 'refused to answer',
  'server-failure': 'answered that it has a problem',
  unreachable: 'could not be reached',
  'bad-answer': 'sent an answer Cutover could not read',
};

export function lookupWords(error: DnsLookupError): string {
  return LOOKUP[error];
}

const list = (items: string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

const EXPECTED_UNKNOWN: Record<Extract<DnsFinding, { code: 'expected-mx-unknown' }>['facts']['reason'], string> = {
  'not-signed-in': 'You are not signed in to Microsoft 365, so Cutover cannot read the MX value Microsoft expects.',
  'no-consent': 'Cutover may not read your domain’s settings in Microsoft 365: only an administrator can allow that.',
  forbidden: 'Your account may not read your domain’s settings in Microsoft 365 (that takes an administrator role).',
  'sign-in-required': 'Microsoft 365 wants you to sign in again before it shows the MX value it expects.',
  unreachable: 'Microsoft 365 could not be reached to read the MX value it expects.',
  'no-mx-record': 'Microsoft 365 lists no MX value for this domain: is the domain set up for mail in Microsoft 365?',
};

/** Words for one DNS finding, for the domain checked. */
export function dnsFindingWords(f: DnsFinding, domain: string): CutoverDayWords {
  switch (f.code) {
    case 'mx-switched':
      return { title: `Mail for ${domain} now goes to Microsoft 365.`, todo: `All ${count(f.facts.resolvers)} DNS servers asked show the new MX record. Keep the old mailbox for a few days: senders that remembered the old answer may still deliver there.` };
    case 'mx-mixed':
      return {
        title: `Switching: ${count(f.facts.switched)} of ${count(f.facts.of)} DNS servers show the new MX record.`,
        todo: `The others still send mail to the old server${f.facts.waitSeconds !== null ? ` for up to ${duration(f.facts.waitSeconds)} more` : ' for a while'}. Keep the old mailbox receiving, and check again later.`,
      };
    case 'mx-old':
      return {
        title: `Mail for ${domain} still goes to the old server${f.facts.current.length ? ` (${list(f.facts.current)})` : ''}.`,
        todo: `At your DNS provider, set the MX record of ${domain} to ${f.facts.expected ?? 'the value Microsoft 365 gives you'} with priority 0, and delete the other MX records${f.facts.expected ? '' : `; ${ADMIN_CENTER_MX}`}.`,
      };
    case 'mx-none':
      return { title: `${list(f.facts.servers)} ${f.facts.servers.length === 1 ? 'has' : 'have'} no MX record for ${domain}: mail sent there has nowhere to go.`, todo: `Add the MX record Microsoft 365 gives you for ${domain} at your DNS provider.` };
    case 'mx-leftover':
      return f.facts.preferred
        ? { title: `Other MX records still come before or alongside Microsoft’s, so they still receive mail: ${list(f.facts.hosts)}.`, todo: 'Delete them at your DNS provider.' }
        : { title: `Other MX records are left over: ${list(f.facts.hosts)}.`, todo: 'Delete them at your DNS provider: a backup server still gets mail whenever Microsoft 365 answers slowly.' };
    case 'mx-ttl-long':
      return {
        title: `DNS servers may keep the old MX record for up to ${duration(f.facts.ttl)} after you change it.`,
        todo: `Lower the MX record’s TTL to ${duration(f.facts.lowerTo)} at your DNS provider now, and switch after ${dateTime(f.facts.switchAfter)}.`,
      };
    case 'expected-mx-unknown':
      return { title: EXPECTED_UNKNOWN[f.facts.reason], todo: `Paste the MX value below: ${ADMIN_CENTER_MX}. Until then Cutover recognises Microsoft’s servers by their names.` };
    case 'domain-not-in-tenant':
      return {
        title: `${f.facts.domain} is not a domain of your Microsoft 365 organisation.`,
        todo: 'Add and verify it in the Microsoft 365 admin center (Settings → Domains) before you point its MX record to Microsoft 365, or mail to it will bounce.',
      };
    case 'no-name-servers':
      return { title: `The DNS servers in charge of ${f.facts.domain} could not be found.`, todo: 'Cutover asked the other DNS servers only. Check the domain’s spelling.' };
    case 'resolver-failed':
      return { title: `The DNS server ${f.facts.name ? `${f.facts.name} (${f.facts.server})` : f.facts.server} ${LOOKUP[f.facts.error]}.`, todo: 'It is left out of the count. Check again in a minute.' };
    case 'no-resolver-answered':
      return { title: `None of the ${count(f.facts.asked)} DNS servers answered.`, todo: 'Check this computer’s network connection and the domain’s spelling, then check again.' };
    case 'spf-ok':
      return { title: 'The SPF record lets Microsoft 365 send for your domain.', todo: null };
    case 'spf-none':
      return {
        title: `${domain} has no SPF record, so other mail servers may take your mail for spam.`,
        todo: 'Add the TXT record "v=spf1 include:spf.protection.outlook.com -all" at your DNS provider (with any other services that still send for your domain).',
      };
    case 'spf-missing-microsoft':
      return { title: 'The SPF record does not let Microsoft 365 send for your domain.', todo: `Add include:spf.protection.outlook.com to it at your DNS provider, keeping the other senders: ${f.facts.record}` };
    case 'spf-multiple':
      return { title: `${domain} has ${count(f.facts.records.length)} SPF records, so other mail servers treat all its mail as unverified.`, todo: 'Merge them into one TXT record that includes spf.protection.outlook.com.' };
    case 'autodiscover-ok':
      return { title: 'Outlook and phones will find the new mailbox from the address alone.', todo: null };
    case 'autodiscover-missing':
      return { title: 'Outlook and phones cannot find the new mailbox from the address alone yet.', todo: `Add the CNAME record ${f.facts.name} → autodiscover.outlook.com at your DNS provider.` };
    case 'autodiscover-elsewhere':
      return { title: `Outlook and phones are still sent to ${f.facts.target}.`, todo: `Change the CNAME record ${f.facts.name} to autodiscover.outlook.com at your DNS provider.` };
  }
}

/** The headline of a DNS report: old, switching (N of M) or switched. */
export function dnsStateWords(r: Pick<DnsReport, 'state' | 'switched' | 'answered' | 'domain'>): string {
  if (r.state === 'switched') return `Switched: mail for ${r.domain} goes to Microsoft 365.`;
  if (r.state === 'mixed') return `Switching: ${count(r.switched)} of ${count(r.answered)} DNS servers show Microsoft 365.`;
  return `Not switched yet: mail for ${r.domain} still goes to the old server.`;
}

/** The PowerShell line that turns SMTP AUTH on for one mailbox (Microsoft's advice, microsoft365.md §8). */
export function enableSmtpAuthCommand(user: string): string {
  return `Set-CASMailbox -Identity ${user} -SmtpClientAuthenticationDisabled $false`;
}

/** Words for one piece of the SMTP check's advice. */
export function smtpAdviceWords(a: SmtpAdvice): CutoverDayWords {
  switch (a.code) {
    case 'enable-smtp-auth':
      return {
        title: `Sending from devices and apps is turned off${a.facts.scope === 'tenant' ? ' for your whole organisation' : a.facts.scope === 'mailbox' ? ' for this mailbox' : ''}.`,
        todo: `Your admin turns it on for ${a.facts.user} only: with the command below in Exchange Online PowerShell, or in the Microsoft 365 admin center under Users → Active users → ${a.facts.user} → Mail → Manage email apps → “Authenticated SMTP”. Then test again.`,
        adminCommand: enableSmtpAuthCommand(a.facts.user),
      };
    case 'basic-auth-off':
      return { title: 'Microsoft 365 no longer accepts a password for sending from devices.', todo: 'Use “Sign in with Microsoft 365” where the device or app offers it; otherwise use one of the other ways below.' };
    case 'policy-blocked':
      return { title: `Your organisation’s security settings refused the sign-in for ${a.facts.user}.`, todo: 'An admin can make an exception for this account, or use one of the other ways below.' };
    case 'check-password':
      return { title: `The password was not accepted for ${a.facts.user}.`, todo: 'Check it. An account that signs in with a second step (an app or a code) cannot send with its password alone.' };
    case 'admin-consent-needed':
      return {
        title: 'Only an administrator can allow Cutover to test sending in your organisation.',
        todo: 'Nothing was sent. Ask an administrator to open the address below and accept, then test again.',
        link: { label: 'For your administrator', url: a.facts.adminConsentUrl },
      };
    case 'check-token':
      return {
        title: `Microsoft 365 refused the sign-in for ${a.facts.user}.`,
        todo: 'Your admin gives Cutover’s app registration the permission to send (SMTP.Send) and turns on sending from apps for this mailbox; then sign in again in “New mailbox” and test again.',
      };
    case 'not-authenticated':
      return { title: 'The server wants a sign-in before it accepts anything.', todo: 'Set the device to sign in with the full address of the mailbox it sends from.' };
    case 'auth-not-offered':
      return { title: `${a.facts.host} does not offer a sign-in.`, todo: 'Check the server name and port, or ask your admin whether sending from apps is turned off for the whole organisation.' };
    case 'tls-too-old':
      return { title: `${a.facts.host} offered only old encryption.`, todo: 'Microsoft 365 needs TLS 1.2 or newer: a device that cannot do it needs a firmware update, or one of the other ways below.' };
    case 'starttls-refused':
      return { title: `${a.facts.host} did not switch to an encrypted connection.`, todo: 'Microsoft 365 always does on port 587: check the server name and port.' };
    case 'tls-untrusted':
      return { title: `This computer does not trust the certificate of ${a.facts.host}.`, todo: 'A proxy or antivirus that inspects encrypted connections may be in between: try from another network, or ask whoever runs it.' };
    case 'unreachable':
      return { title: `${a.facts.host} could not be reached on port ${a.facts.port}.`, todo: 'Many networks block sending ports: check the firewall, or test from another network.' };
    case 'unexpected-reply':
      return { title: `The server gave an answer Cutover does not know (while ${a.facts.stage === 'connect' ? 'connecting' : a.facts.stage === 'starttls' ? 'encrypting the connection' : 'signing in'}).`, todo: 'Check the server name and port; the server’s answer is under “Show details”.' };
    case 'device-alternatives':
      return {
        title: 'For printers, scanners and apps that cannot sign in with Microsoft 365',
        todo: `Direct send: port 25 to the MX host of ${a.facts.domain}, no sign-in, only to people in your own organisation (add the device’s public IP address to your SPF record). Or an SMTP relay: a connector in Microsoft 365 that recognises your fixed public IP address or a certificate, port 25 to the same MX host, for recipients outside too.`,
      };
    case 'basic-auth-retiring':
      return { title: 'The password works today, but not for long.', todo: 'Microsoft turns off passwords for sending from devices by default at the end of December 2026: plan “Sign in with Microsoft 365” or one of the other ways below.' };
    case 'device-settings':
      return {
        title: 'The sign-in worked. Nothing was sent.',
        todo: `Use these settings on the device: server ${a.facts.host}, port ${a.facts.port}, STARTTLS, user name ${a.facts.user}, ${a.facts.method === 'oauth' ? 'sign in with the Microsoft 365 account' : 'the mailbox’s password'}.`,
      };
  }
}

/** The headline of an SMTP check. */
export function smtpResultWords(r: SmtpCheckResult): string {
  if (r.ok) return 'The test sign-in worked. Nothing was sent.';
  if (r.stage === 'connect') return 'Cutover could not talk to the sending server. Nothing was sent.';
  if (r.stage === 'starttls') return 'The connection could not be encrypted. Nothing was sent.';
  return 'The sending server refused the sign-in. Nothing was sent.';
}
