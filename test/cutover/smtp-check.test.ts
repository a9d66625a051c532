import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { M365Auth } from '../../src/main/engine/auth/m365-auth.js';
import { checkSmtp, type SmtpCheckRequest } from '../../src/main/engine/cutover/smtp-check.js';
import { tempStateDir } from '../harness/accounts.js';
import { signInToStateDir } from '../harness/m365.js';
import { ExchangeLikeSmtp } from '../harness/smtp-server.js';

const oidc = inject('oidc');
const pki = inject('pki');
const USER = 'anna@contoso.test';
let smtp: ExchangeLikeSmtp;
let auth: M365Auth;

beforeAll(async () => {
  smtp = await ExchangeLikeSmtp.start(pki, oidc);
  auth = await signInToStateDir(oidc, pki.caFile, USER, tempStateDir());
});
afterAll(async () => smtp.stop());

function request(patch: Partial<SmtpCheckRequest> = {}): SmtpCheckRequest {
  return { host: '127.0.0.1', port: smtp.port, user: USER, credentials: { kind: 'oauth', token: (force) => auth.smtpToken(force) }, caFile: pki.caFile, ...patch };
}

/** Runs one check and returns what the server saw of it. */
async function observed(run: () => Promise<unknown>): Promise<{ commands: string[]; mailFrom: number }> {
  const before = smtp.commands.length;
  const mailFrom = smtp.mailFromAttempts;
  await run();
  return { commands: smtp.commands.slice(before), mailFrom: smtp.mailFromAttempts - mailFrom };
}

describe('SMTP AUTH check against an SMTP server that answers like Exchange Online', () => {
  it('signs in with XOAUTH2 and the SMTP.Send token of the same sign-in, then quits without sending anything', async () => {
    smtp.mailbox(USER, { smtpAuthDisabled: false });
    let result: Awaited<ReturnType<typeof checkSmtp>> | null = null;
    const seen = await observed(async () => (result = await checkSmtp(request())));
    expect(result).toMatchObject({ ok: true, stage: 'auth', method: 'oauth', reply: { code: 235, text: 'Authentication successful' } });
    expect(result!.advice).toEqual([{ code: 'device-settings', facts: { host: '127.0.0.1', port: smtp.port, user: USER, method: 'oauth' } }]);
    expect(seen).toEqual({ commands: ['EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'QUIT'], mailFrom: 0 });
  });

  it('turns 535 5.7.139 (SMTP AUTH disabled for the tenant) into the admin fix and the alternatives', async () => {
    smtp.mailbox(USER, { smtpAuthDisabled: 'tenant' });
    const seen = await observed(async () => {
      const result = await checkSmtp(request());
      expect(result).toMatchObject({ ok: false, stage: 'auth', reply: { code: 535, enhanced: '5.7.139' } });
      expect(result.reply!.text).toContain('SmtpClientAuthentication is disabled for the Tenant');
      expect(result.advice).toEqual([
        { code: 'enable-smtp-auth', facts: { user: USER, scope: 'tenant' } },
        { code: 'device-alternatives', facts: { domain: 'contoso.test' } },
      ]);
    });
    expect(seen.mailFrom).toBe(0);
    expect(seen.commands).not.toContain('MAIL');
    smtp.mailbox(USER, { smtpAuthDisabled: 'mailbox' });
    expect((await checkSmtp(request())).advice[0]).toEqual({ code: 'enable-smtp-auth', facts: { user: USER, scope: 'mailbox' } });
  });

  it('reports 535 5.7.3 when the token is not for that mailbox', async () => {
    const other = 'someone-else@contoso.test';
    smtp.mailbox(other, { smtpAuthDisabled: false });
    const result = await checkSmtp(request({ user: other }));
    expect(result).toMatchObject({ ok: false, stage: 'auth', reply: { code: 535, enhanced: '5.7.3' }, advice: [{ code: 'check-token', facts: { user: other } }] });
  });

  it('with a password: 550 5.7.30 once Basic auth is off, wrong password, and success with the retirement warning', async () => {
    const user = 'printer@contoso.test';
    smtp.mailbox(user, { basicAuth: false, password: 'scan-to-mail' });
    const off = await checkSmtp(request({ user, credentials: { kind: 'password', password: 'scan-to-mail' } }));
    expect(off).toMatchObject({ ok: false, stage: 'auth', method: 'password', reply: { code: 550, enhanced: '5.7.30' } });
    expect(off.advice.map((a) => a.code)).toEqual(['basic-auth-off', 'device-alternatives']);

    smtp.mailbox(user, { basicAuth: true });
    const wrong = await checkSmtp(request({ user, credentials: { kind: 'password', password: 'guess' } }));
    expect(wrong).toMatchObject({ ok: false, reply: { code: 535, enhanced: '5.7.139' }, advice: [{ code: 'check-password' }] });

    const seen = await observed(async () => {
      const ok = await checkSmtp(request({ user, credentials: { kind: 'password', password: 'scan-to-mail' } }));
      expect(ok).toMatchObject({ ok: true, stage: 'auth', reply: { code: 235 } });
      expect(ok.advice.map((a) => a.code)).toEqual(['device-settings', 'basic-auth-retiring', 'device-alternatives']);
    });
    // AUTH LOGIN sends the user name and the password as two more lines, which the server logs as AUTH.
    expect(seen).toEqual({ commands: ['EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'AUTH', 'AUTH', 'QUIT'], mailFrom: 0 });
  });

  it('stops at STARTTLS when the server offers only TLS older than 1.2, or no STARTTLS at all', async () => {
    const legacy = await ExchangeLikeSmtp.start(pki, oidc, { legacyTlsOnly: true });
    const plain = await ExchangeLikeSmtp.start(pki, oidc, { noStartTls: true });
    try {
      const old = await checkSmtp(request({ port: legacy.port }));
      expect(old).toMatchObject({ ok: false, stage: 'starttls', reply: null, advice: [{ code: 'tls-too-old', facts: { host: '127.0.0.1' } }] });
      expect(legacy.commands).toEqual(['EHLO', 'STARTTLS']);
      expect(legacy.errors.join()).toMatch(/unsupported protocol/);
      const none = await checkSmtp(request({ port: plain.port }));
      expect(none).toMatchObject({ ok: false, stage: 'starttls', advice: [{ code: 'starttls-refused' }] });
      expect(none.reply?.code).toBeGreaterThanOrEqual(500);
      expect(plain.commands).not.toContain('AUTH');
    } finally {
      await Promise.all([legacy.stop(), plain.stop()]);
    }
  });

  it('says the server cannot be reached when nothing listens', async () => {
    const closed = await ExchangeLikeSmtp.start(pki, oidc);
    const port = closed.port;
    await closed.stop();
    expect(await checkSmtp(request({ port }))).toEqual({ ok: false, stage: 'connect', method: 'oauth', reply: null, advice: [{ code: 'unreachable', facts: { host: '127.0.0.1', port } }] });
  });

  it('stops at once when cancelled, even while a silent server keeps the greeting back', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const controller = new AbortController();
    // Abort only once the server holds the connection: no timing involved.
    silent.once('connection', () => controller.abort());
    try {
      await expect(checkSmtp(request({ port: (silent.address() as AddressInfo).port, signal: controller.signal }))).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});
