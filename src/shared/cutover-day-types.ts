import type { FindingLevel } from './preflight-types.js';

/**
 * Cutover day: what the DNS check, the SMTP AUTH check and the Outlook/phones checklist return.
 * The engine returns codes and facts; the CLI and the app put them into words.
 */

export type DnsState = 'old' | 'mixed' | 'switched';

export interface DnsMxRecord {
  /** Lower case, without the trailing dot. */
  host: string;
  priority: number;
}

/** Why a server gave no usable answer. "No MX record" is an answer (mx: []), not an error. */
export type DnsLookupError = 'timeout' | 'refused' | 'server-failure' | 'unreachable' | 'bad-answer';

/** What one DNS server says about the domain's MX, as seen at `checkedAt`. */
export interface DnsResolverView {
  /** The address asked: "192.0.2.53", "127.0.0.1:5353", "[2001:db8::1]:53". */
  server: string;
  /** system: this computer's resolver; authoritative: a name server of the domain; given: named by the user. */
  kind: 'system' | 'authoritative' | 'given';
  /** The name server's host name (authoritative servers only). */
  name: string | null;
  mx: DnsMxRecord[];
  /** Seconds: the configured TTL from an authoritative server, what is left of it from a caching one. */
  ttl: number | null;
  /** The expected MX host is the one senders try first here. */
  switched: boolean;
  error: DnsLookupError | null;
}

export type DnsFinding = { level: FindingLevel } & (
  | { code: 'mx-switched'; facts: { resolvers: number } }
  /** `waitSeconds`: the longest TTL still cached for the old record (null: unknown). */
  | { code: 'mx-mixed'; facts: { switched: number; of: number; waitSeconds: number | null } }
  /** `current`: the MX hosts senders try first now. */
  | { code: 'mx-old'; facts: { current: string[]; expected: string | null } }
  /** Some servers answer with no MX at all: senders fall back to the domain's address or bounce. */
  | { code: 'mx-none'; facts: { servers: string[] } }
  /** Other MX hosts next to Microsoft's; `preferred`: they come first (or tie), so they still get mail. */
  | { code: 'mx-leftover'; facts: { hosts: string[]; preferred: boolean } }
  /** The old MX TTL is longer than an hour: lower it to `lowerTo` first, switch after `switchAfter`. */
  | { code: 'mx-ttl-long'; facts: { ttl: number; lowerTo: number; switchAfter: string } }
  /** no-consent: Domain.Read.All was not granted (only an administrator may); forbidden: granted, but the account has no directory role to read domains. */
  | { code: 'expected-mx-unknown'; facts: { reason: 'not-signed-in' | 'no-consent' | 'forbidden' | 'sign-in-required' | 'unreachable' | 'no-mx-record' } }
  | { code: 'domain-not-in-tenant'; facts: { domain: string } }
  | { code: 'no-name-servers'; facts: { domain: string } }
  | { code: 'resolver-failed'; facts: { server: string; name: string | null; error: DnsLookupError } }
  | { code: 'no-resolver-answered'; facts: { asked: number } }
  | { code: 'spf-ok'; facts: { record: string } }
  | { code: 'spf-none'; facts: Record<string, never> }
  | { code: 'spf-missing-microsoft'; facts: { record: string } }
  | { code: 'spf-multiple'; facts: { records: string[] } }
  | { code: 'autodiscover-ok'; facts: { target: string } }
  | { code: 'autodiscover-missing'; facts: { name: string } }
  | { code: 'autodiscover-elsewhere'; facts: { name: string; target: string } }
);

export type DnsFindingCode = DnsFinding['code'];

export interface DnsReport {
  domain: string;
  /** When the servers were asked (ISO 8601): a watcher polls and notes when `state` became "switched". */
  checkedAt: string;
  /** The MX host Microsoft 365 expects, lower case; null when neither given nor readable. */
  expectedMx: string | null;
  /** given: pasted by the user; microsoft-365: read from Graph; null: judged by Microsoft's host names. */
  expectedMxSource: 'given' | 'microsoft-365' | null;
  state: DnsState;
  /** Servers that answered, and how many of them show the expected MX first. */
  answered: number;
  switched: number;
  resolvers: DnsResolverView[];
  /** The server the SPF and autodiscover records were read from (an authoritative one when any answered). */
  recordsFrom: string | null;
  spf: string[];
  autodiscover: string | null;
  findings: DnsFinding[];
}

export interface DnsCheckOptions {
  /** The MX host from the Microsoft 365 admin center; when null the engine asks Graph. */
  expectMx: string | null;
  /** Extra servers to ask: "IP" or "IP:PORT" ("[IPv6]:PORT"). */
  resolvers: string[];
}

/** One SMTP reply line as the server sent it: "535 5.7.139 Authentication unsuccessful…". */
export interface SmtpReply {
  code: number;
  /** RFC 3463 enhanced status code ("5.7.139"), when the server sent one. */
  enhanced: string | null;
  text: string;
}

export type SmtpStage = 'connect' | 'starttls' | 'auth';

export type SmtpAdvice =
  /** 5.7.139 "SmtpClientAuthentication is disabled": the admin turns SMTP AUTH on for the mailbox. */
  | { code: 'enable-smtp-auth'; facts: { user: string; scope: 'tenant' | 'mailbox' | 'unknown' } }
  /** 550 5.7.30 (or 5.7.139 "basic authentication is disabled"): passwords are no longer accepted. */
  | { code: 'basic-auth-off'; facts: { user: string } }
  /** Security defaults or a Conditional Access policy refused the sign-in (5.7.139 "did not meet the criteria"). */
  | { code: 'policy-blocked'; facts: { user: string } }
  | { code: 'check-password'; facts: { user: string } }
  /** 535 5.7.3 with XOAUTH2: the token was refused (missing SMTP.Send permission, or another user). */
  /** The user may not grant the permission (SMTP.Send) themselves: an administrator grants it at `adminConsentUrl`. Nothing was sent to the server. */
  | { code: 'admin-consent-needed'; facts: { user: string; permission: string; adminConsentUrl: string } }
  | { code: 'check-token'; facts: { user: string } }
  /** 5.7.57: the server wanted a sign-in before anything else. */
  | { code: 'not-authenticated'; facts: Record<string, never> }
  | { code: 'auth-not-offered'; facts: { host: string } }
  | { code: 'tls-too-old'; facts: { host: string } }
  | { code: 'starttls-refused'; facts: { host: string } }
  | { code: 'tls-untrusted'; facts: { host: string } }
  | { code: 'unreachable'; facts: { host: string; port: number } }
  | { code: 'unexpected-reply'; facts: { stage: SmtpStage } }
  /** For devices that cannot do OAuth: direct send, or a relay connector to the MX endpoint on port 25. */
  | { code: 'device-alternatives'; facts: { domain: string } }
  /** Password sign-in worked, but Microsoft turns Basic auth for SMTP AUTH off by default at the end of 2026. */
  | { code: 'basic-auth-retiring'; facts: Record<string, never> }
  /** The settings a device or app needs (shown after a successful check). */
  | { code: 'device-settings'; facts: { host: string; port: number; user: string; method: 'oauth' | 'password' } };

export type SmtpAdviceCode = SmtpAdvice['code'];

export interface SmtpCheckResult {
  ok: boolean;
  /** How far the check got: connect (TCP, greeting, EHLO), starttls (TLS 1.2+), auth. */
  stage: SmtpStage;
  method: 'oauth' | 'password';
  /** The server's last reply that decided the outcome; null when there was none (no connection). */
  reply: SmtpReply | null;
  advice: SmtpAdvice[];
}

/** Exchange Online's client submission endpoint (microsoft365.md §8): the default of every SMTP check. */
export const EXCHANGE_SMTP = { host: 'smtp.office365.com', port: 587 } as const;

export interface SmtpCheckOptions {
  user: string;
  host: string;
  port: number;
  /** XOAUTH2 with the SMTP.Send token of the Microsoft 365 sign-in, or a password. */
  auth: { kind: 'oauth' } | { kind: 'password'; password: string };
}

/** One thing to do on a device, with a stable id the wizard remembers as ticked. */
export interface ChecklistItem {
  id: string;
  title: string;
  steps: string[];
}

export interface ChecklistSection {
  id: string;
  title: string;
  items: ChecklistItem[];
}
