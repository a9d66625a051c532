import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAuthentication } from 'smtp-server';
import { introspect } from './introspect.js';
import { SMTP_SCOPE, type OidcInfo } from './oidc.js';

/** How the stand-in tenant treats one mailbox, with Exchange Online's own reply texts (microsoft365.md §8). */
export interface ExchangeMailbox {
  /** SmtpClientAuthenticationDisabled: false = on; "tenant"/"mailbox" = off at that level. */
  smtpAuthDisabled: false | 'tenant' | 'mailbox';
  /** Basic auth for SMTP AUTH still accepted (false: 550 5.7.30, as after Microsoft's retirement). */
  basicAuth: boolean;
  password: string | null;
}

const REPLIES = {
  disabled: (level: 'tenant' | 'mailbox') =>
    `5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the ${level === 'tenant' ? 'Tenant' : 'Mailbox'}. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]`,
  basicOff: '5.7.30 Basic authentication is not supported for Client Submission.',
  badPassword: '5.7.139 Authentication unsuccessful, the user credentials were incorrect. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]',
  badToken: '5.7.3 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]',
  notAuthenticated: '5.7.57 Client not authenticated to send mail. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]',
};

/**
 * An SMTP submission server (npm smtp-server) on 127.0.0.1 that answers like Exchange Online's
 * smtp.office365.com:587: STARTTLS required before AUTH, AUTH LOGIN and XOAUTH2, tokens checked
 * with the OpenID provider (active, for this user, carrying SMTP.Send), and Exchange's 535 5.7.139,
 * 550 5.7.30 and 535 5.7.3 replies. It records every command it receives; MAIL FROM is always
 * refused and counted, so a test can prove the check never tried to send anything.
 */
export class ExchangeLikeSmtp {
  readonly commands: string[] = [];
  readonly errors: string[] = [];
  mailFromAttempts = 0;
  readonly mailboxes = new Map<string, ExchangeMailbox>();
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(tls: { certFile: string; keyFile: string; caFile: string }, oidc: OidcInfo, options: { legacyTlsOnly?: boolean; noStartTls?: boolean } = {}): Promise<ExchangeLikeSmtp> {
    const ca = readFileSync(tls.caFile, 'utf8');
    let self: ExchangeLikeSmtp | null = null;
    const server = new SMTPServer({
      name: 'AM0PR01CA0001.outlook.office365.com',
      banner: 'Microsoft ESMTP MAIL Service ready',
      key: readFileSync(tls.keyFile),
      cert: readFileSync(tls.certFile),
      // An endpoint that speaks only TLS 1.0/1.1, like the devices Microsoft no longer accepts.
      ...(options.legacyTlsOnly ? { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const, ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
      secure: false,
      authMethods: ['LOGIN', 'XOAUTH2'],
      allowInsecureAuth: false,
      disabledCommands: options.noStartTls ? ['STARTTLS'] : [],
      logger: {
        level: () => undefined,
        debug: (entry: { tnx?: string; command?: string }) => {
          if (entry?.tnx === 'command' && entry.command) self?.commands.push(entry.command.toUpperCase());
        },
        info: () => undefined,
        error: () => undefined,
      } as never,
      onAuth: (auth, _session, callback) => {
        void self!.authenticate(auth, oidc, ca).then(
          (reply) => (reply === null ? callback(null, { user: auth.username }) : callback(Object.assign(new Error(reply.text), { responseCode: reply.code }))),
          (err: unknown) => callback(err as Error),
        );
      },
      onMailFrom: (_address, _session, callback) => {
        self!.mailFromAttempts++;
        callback(Object.assign(new Error(REPLIES.notAuthenticated), { responseCode: 530 }));
      },
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => callback(new Error('This server never accepts a message.')));
      },
    });
    // Failed handshakes (the legacy-TLS server meeting a TLS 1.2 client) are expected here, not crashes.
    server.on('error', (err) => self?.errors.push(err.message));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    self = new ExchangeLikeSmtp(server, port);
    return self;
  }

  mailbox(user: string, patch: Partial<ExchangeMailbox>): void {
    this.mailboxes.set(user, { smtpAuthDisabled: false, basicAuth: true, password: null, ...this.mailboxes.get(user), ...patch });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** null: 235; otherwise the reply Exchange would give. */
  private async authenticate(auth: SMTPServerAuthentication, oidc: OidcInfo, ca: string): Promise<{ code: number; text: string } | null> {
    const user = auth.username ?? '';
    const box = this.mailboxes.get(user) ?? { smtpAuthDisabled: false, basicAuth: true, password: null };
    if (auth.method === 'XOAUTH2') {
      const info = await introspect(oidc, ca, auth.accessToken ?? '');
      const valid = info.active && info.sub === user && (info.scope ?? '').split(' ').includes(SMTP_SCOPE);
      if (!valid) return { code: 535, text: REPLIES.badToken };
      return box.smtpAuthDisabled ? { code: 535, text: REPLIES.disabled(box.smtpAuthDisabled) } : null;
    }
    if (!box.basicAuth) return { code: 550, text: REPLIES.basicOff };
    if (box.smtpAuthDisabled) return { code: 535, text: REPLIES.disabled(box.smtpAuthDisabled) };
    return box.password !== null && auth.password === box.password ? null : { code: 535, text: REPLIES.badPassword };
  }
}
