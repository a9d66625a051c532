import type { DnsFinding, DnsLookupError, SmtpAdvice } from '../../shared/cutover-day-types.js';

/** The CLI's words for the cutover day's finding and advice codes (the app words them its own way). */

const MX_HELP = 'the MX value shown in the Microsoft 365 admin center (Settings > Domains > your domain > DNS records)';

export function seconds(s: number): string {
  if (s % 86400 === 0) return `${s / 86400} ${s === 86400 ? 'day' : 'days'}`;
  if (s >= 3600) return `${Math.round((s / 3600) * 10) / 10} h`;
  if (s >= 120) return `${Math.round(s / 60)} min`;
  return `${s} s`;
}

export function localTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

const LOOKUP: Record<DnsLookupError, string> = {
  timeout: 'did not answer in time',
  refused: 'refused to answer',
  'server-failure': 'answered with a server failure',
  unreachable: 'could not be reached',
  'bad-answer': 'sent an answer that could not be read',
};

export function dnsFindingText(f: DnsFinding, domain: string): string {
  switch (f.code) {
    case 'mx-switched':
      return `Mail for ${domain} goes to Microsoft 365: all ${f.facts.resolvers} DNS servers asked show its MX first.`;
    case 'mx-mixed':
      return `${f.facts.switched} of ${f.facts.of} DNS servers show the new MX; the others still answer with the old one${f.facts.waitSeconds !== null ? ` for up to ${seconds(f.facts.waitSeconds)} more (what is left of their cached TTL)` : ''}. Keep the old mailbox receiving until every server has switched.`;
    case 'mx-old':
      return `The MX record still points to ${f.facts.current.join(', ') || 'no mail server'}. At your DNS host, set the MX record of ${domain} to ${f.facts.expected ?? MX_HELP} with priority 0, and delete the other MX records.`;
    case 'mx-none':
      return `No MX record at ${f.facts.servers.join(', ')}: mail to ${domain} has nowhere to go there. Add the MX record Microsoft 365 shows for ${domain}.`;
    case 'mx-leftover':
      return f.facts.preferred
        ? `Other MX records come before or alongside Microsoft's, so they still receive mail: ${f.facts.hosts.join(', ')}. Delete them at your DNS host.`
        : `Other MX records are left over: ${f.facts.hosts.join(', ')}. Delete them: a backup MX still gets mail whenever Microsoft 365 answers slowly, and Microsoft asks for its MX record alone.`;
    case 'mx-ttl-long':
      return `The MX record's TTL is ${seconds(f.facts.ttl)}: after a change, DNS servers may keep the old answer that long. Lower the TTL to ${seconds(f.facts.lowerTo)} at your DNS host now, and switch after ${localTime(f.facts.switchAfter)}.`;
    case 'expected-mx-unknown': {
      const why = {
        'not-signed-in': 'Not signed in to Microsoft 365, so the MX value it expects is unknown.',
        'no-consent': "Cutover has no permission to read the domain's DNS records in Microsoft 365 (Domain.Read.All, which only an administrator can grant; reading also takes the Domain Name Administrator or Global Reader role).",
        forbidden: "Your account may not read the domain's DNS records in Microsoft 365 (that takes the Domain Name Administrator or Global Reader role).",
        'sign-in-required': 'Microsoft 365 asks you to sign in again (cutover login) before it tells the expected MX.',
        unreachable: 'Microsoft 365 could not be reached to read the expected MX.',
        'no-mx-record': `Microsoft 365 lists no MX record for ${domain} (is it set up for Exchange?).`,
      }[f.facts.reason];
      return `${why} Pass --expect-mx with ${MX_HELP} (new domains: …mx.microsoft, older ones: …mail.protection.outlook.com); until then Microsoft's MX is recognised by its name.`;
    }
    case 'domain-not-in-tenant':
      return `${f.facts.domain} is not a domain of your Microsoft 365 organisation. Add and verify it in the admin center (Settings > Domains) before pointing its MX at Microsoft 365, or mail to it will bounce.`;
    case 'no-name-servers':
      return `The name servers of ${f.facts.domain} could not be found, so only the other DNS servers were asked.`;
    case 'resolver-failed':
      return `The DNS server ${f.facts.name ? `${f.facts.name} (${f.facts.server})` : f.facts.server} ${LOOKUP[f.facts.error]}; it is left out of the count.`;
    case 'no-resolver-answered':
      return `None of the ${f.facts.asked} DNS servers answered. Check the network connection and the domain name.`;
    case 'spf-ok':
      return `The SPF record includes Microsoft 365: ${f.facts.record}`;
    case 'spf-none':
      return `${domain} has no SPF record. Add the TXT record "v=spf1 include:spf.protection.outlook.com -all" (with any other senders the domain still uses), or receivers may take your mail for spam.`;
    case 'spf-missing-microsoft':
      return `The SPF record does not include Microsoft 365: ${f.facts.record}. Add include:spf.protection.outlook.com to it, keeping the other senders the domain still uses.`;
    case 'spf-multiple':
      return `${domain} has ${f.facts.records.length} SPF records, so receivers treat SPF as failed for all its mail. Merge them into one record that includes spf.protection.outlook.com: ${f.facts.records.map((r) => `"${r}"`).join(', ')}.`;
    case 'autodiscover-ok':
      return `autodiscover.${domain} points to ${f.facts.target}: Outlook and phones find the new mailbox from the address alone.`;
    case 'autodiscover-missing':
      return `There is no autodiscover record. Add the CNAME ${f.facts.name} → autodiscover.outlook.com so that Outlook and phones find the new mailbox from the address alone.`;
    case 'autodiscover-elsewhere':
      return `${f.facts.name} points to ${f.facts.target}. Change the CNAME to autodiscover.outlook.com, or Outlook keeps finding the old server.`;
  }
}

export function smtpAdviceText(a: SmtpAdvice): string {
  switch (a.code) {
    case 'enable-smtp-auth':
      return `SMTP AUTH is turned off${a.facts.scope === 'unknown' ? '' : ` for the ${a.facts.scope === 'tenant' ? 'whole organisation' : 'mailbox'}`}. An admin turns it on for this mailbox only (Microsoft's advice), in Exchange Online PowerShell: Set-CASMailbox -Identity ${a.facts.user} -SmtpClientAuthenticationDisabled $false — or in the Microsoft 365 admin center: Users > Active users > ${a.facts.user} > Mail > Manage email apps > Authenticated SMTP.`;
    case 'basic-auth-off':
      return `Microsoft 365 no longer accepts a password for SMTP AUTH (Basic authentication). Use OAuth where the device or app supports it; otherwise use one of the alternatives below.`;
    case 'policy-blocked':
      return `A policy refused the sign-in for ${a.facts.user} (security defaults or Conditional Access block password sign-ins for SMTP). An admin can exclude this account, or use one of the alternatives below.`;
    case 'check-password':
      return `The password was not accepted for ${a.facts.user}. Check it; an account with multi-factor authentication cannot send with its password alone.`;
    case 'admin-consent-needed':
      return `Only an administrator can grant Cutover the permission ${a.facts.permission} in your organisation, so nothing was sent to the server. Ask an administrator to open this address and accept: ${a.facts.adminConsentUrl} — then run the check again.`;
    case 'check-token':
      return `Microsoft 365 refused the sign-in token for ${a.facts.user}. The app registration needs the Office 365 Exchange Online permission SMTP.Send (with consent) and SMTP AUTH must be on for the mailbox; after the admin adds the permission, sign in again with "cutover login".`;
    case 'not-authenticated':
      return 'The server wants a sign-in before anything is sent (5.7.57): the device must use SMTP AUTH with the mailbox it sends from.';
    case 'auth-not-offered':
      return `${a.facts.host} offered no sign-in (AUTH) after STARTTLS: it is not a submission server for this mailbox, or SMTP AUTH is off for the whole organisation.`;
    case 'tls-too-old':
      return `${a.facts.host} offered only TLS older than 1.2. Microsoft 365 requires TLS 1.2 or newer: a device that cannot do TLS 1.2 needs a firmware update, or one of the alternatives below.`;
    case 'starttls-refused':
      return `${a.facts.host} did not switch to an encrypted connection (STARTTLS), which Microsoft 365 requires on port 587. Check the server name and port.`;
    case 'tls-untrusted':
      return `The certificate of ${a.facts.host} is not trusted on this computer (a proxy or antivirus that inspects TLS?). If that is expected, pass --ca FILE with your organisation's CA.`;
    case 'unreachable':
      return `${a.facts.host}:${a.facts.port} could not be reached. Many networks and internet providers block outgoing mail ports: check the firewall, or try from another network.`;
    case 'unexpected-reply':
      return `The server gave an answer Cutover does not know at the ${a.facts.stage} step (shown above).`;
    case 'device-alternatives':
      return `For printers, scanners and apps that cannot sign in with OAuth: direct send (port 25 to the MX host of ${a.facts.domain}, no sign-in, recipients in your own organisation only; add the device's public IP address to your SPF record), or an SMTP relay through a Microsoft 365 connector (port 25 to the same MX host, recognised by your fixed public IP address or a certificate) for recipients outside.`;
    case 'basic-auth-retiring':
      return 'The password worked, but Microsoft turns Basic authentication for SMTP AUTH off by default at the end of December 2026: plan OAuth or one of the alternatives below for this device.';
    case 'device-settings':
      return `Settings for devices and apps: server ${a.facts.host}, port ${a.facts.port}, STARTTLS (TLS 1.2 or newer), user name ${a.facts.user}, ${a.facts.method === 'oauth' ? 'sign-in with the Microsoft 365 account (OAuth)' : "the mailbox's password"}.`;
  }
}
