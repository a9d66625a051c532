import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenCacheFile } from '../../src/main/engine/auth/m365-settings.js';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { CutoverService, type ServiceOptions } from '../../src/main/engine/service/cutover-service.js';
import type { SmtpCheckResult } from '../../src/shared/cutover-day-types.js';
import { tempStateDir } from '../harness/accounts.js';
import { FakeBrowser } from '../harness/fake-browser.js';
import { answerSignInPages } from '../harness/sign-in-pages.js';
import { introspect, m365Env, signInToStateDir } from '../harness/m365.js';
import { runCli, startCli } from '../harness/run-cli.js';
import { ExchangeLikeSmtp } from '../harness/smtp-server.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let smtp: ExchangeLikeSmtp;
let n = 0;

beforeAll(async () => {
  smtp = await ExchangeLikeSmtp.start(pki, oidc);
});
afterAll(async () => smtp.stop());

function browser(): FakeBrowser {
  return new FakeBrowser(readFileSync(pki.caFile, 'utf8'));
}

/** A user signed in through the real MSAL flow with the given app registration, and a service on that state folder. */
async function signedIn(clientId: string, options: Partial<ServiceOptions> = {}) {
  const user = `consent-${process.pid}-${++n}@contoso.test`;
  const stateDir = tempStateDir();
  await signInToStateDir(oidc, pki.caFile, user, stateDir, clientId);
  smtp.mailbox(user, { smtpAuthDisabled: false });
  const service = new CutoverService({ stateDir, host: 'web', caFile: pki.caFile, secretStore: new FileSecretStore(tokenCacheFile(stateDir)), m365: { authority: oidc.issuer }, smtpOAuthToLoopbackForTests: true, ...options });
  return { user, stateDir, service };
}

describe('the SMTP check asks for SMTP.Send when it was never granted (it is not asked for at sign-in)', () => {
  it('in the browser: the app announces the page with the reason, the user consents, and AUTH succeeds', async () => {
    const { user, service, stateDir } = await signedIn(oidc.userConsentClientId);
    const person = answerSignInPages(service, user, pki.caFile);
    try {
      const result = await Promise.race([service.checkSmtp({ user, host: '127.0.0.1', port: smtp.port, auth: { kind: 'oauth' } }), person.failed]);
      expect(result).toMatchObject({ ok: true, method: 'oauth', reply: { code: 235 } });
    } finally {
      person.stop();
    }
    expect(person.pages).toHaveLength(1);
    expect(person.pages[0]!.message).toMatch(/SMTP AUTH is a separate Microsoft 365 permission .* not granted yet/);
    expect(person.pages[0]!.message).not.toMatch(/cutover (login|smtp)|--/);
    expect(new URL(person.pages[0]!.url).searchParams.get('scope')).toContain('https://outlook.office.com/SMTP.Send');
    // Granted once: the next check needs no page, and the sign-in's own tokens still work.
    const again = answerSignInPages(service, user, pki.caFile);
    try {
      expect(await service.checkSmtp({ user, host: '127.0.0.1', port: smtp.port, auth: { kind: 'oauth' } })).toMatchObject({ ok: true });
    } finally {
      again.stop();
    }
    expect(again.pages).toEqual([]);
    const auth = (await import('../../src/main/engine/m365/m365-session.js')).openStoredM365(stateDir, new FileSecretStore(tokenCacheFile(stateDir)), { authority: oidc.issuer })!.auth;
    expect(await introspect(oidc, pki.caFile, await auth.graphToken())).toMatchObject({ active: true, aud: 'https://graph.microsoft.com' });
  });

  it('with a device code after a device-code sign-in, saying why a further code is needed', async () => {
    const stateDir = tempStateDir();
    const user = `consent-dc-${process.pid}-${++n}@contoso.test`;
    smtp.mailbox(user, { smtpAuthDisabled: false });
    const service = new CutoverService({ stateDir, host: 'web', caFile: pki.caFile, secretStore: new FileSecretStore(tokenCacheFile(stateDir)), m365: { authority: oidc.issuer }, smtpOAuthToLoopbackForTests: true });
    const person = answerSignInPages(service, user, pki.caFile);
    try {
      await Promise.race([service.m365SignIn({ deviceCode: true, clientId: oidc.userConsentClientId, tenant: null }), person.failed]);
      const result = await Promise.race([service.checkSmtp({ user, host: '127.0.0.1', port: smtp.port, auth: { kind: 'oauth' } }), person.failed]);
      expect(result).toMatchObject({ ok: true, reply: { code: 235 } });
    } finally {
      person.stop();
    }
    // Graph, then IMAP (sign-in), then SMTP.Send (the check), each its own code.
    expect(person.pages.map((e) => e.userCode !== null)).toEqual([true, true, true]);
    expect(person.pages[2]!.message).toMatch(/^Sending through SMTP AUTH is a separate Microsoft 365 permission .* this code grants it\./);
  });

  it('where the user may not consent, says so with the admin-consent address as a fact, and connects to nothing', async () => {
    const { user, service } = await signedIn(oidc.copyOnlyClientId);
    const person = answerSignInPages(service, user, pki.caFile);
    const commands = smtp.commands.length;
    let result: SmtpCheckResult;
    try {
      result = await Promise.race([service.checkSmtp({ user, host: '127.0.0.1', port: smtp.port, auth: { kind: 'oauth' } }), person.failed]);
    } finally {
      person.stop();
    }
    expect(result).toMatchObject({ ok: false, stage: 'auth', method: 'oauth', reply: null, advice: [{ code: 'admin-consent-needed', facts: { user, permission: 'SMTP.Send' } }] });
    const url = new URL((result.advice[0]!.facts as { adminConsentUrl: string }).adminConsentUrl);
    expect(url.pathname).toMatch(/\/v2\.0\/adminconsent$/);
    expect(url.searchParams.get('client_id')).toBe(oidc.copyOnlyClientId);
    expect(url.searchParams.get('scope')).toBe('https://outlook.office.com/SMTP.Send');
    expect(smtp.commands.length).toBe(commands);
  });
});

describe('the SMTP.Send token goes only to Exchange Online', () => {
  it('refuses OAuth to any other server before any token is asked for; a password may go anywhere', async () => {
    const { user, service } = await signedIn(oidc.clientId, { smtpOAuthToLoopbackForTests: false });
    const person = answerSignInPages(service, user, pki.caFile);
    try {
      for (const host of ['smtp.evil.example', '127.0.0.1', 'smtp.office365.com.evil.example', 'outlook.office365.com']) {
        await expect(service.checkSmtp({ user, host, port: smtp.port, auth: { kind: 'oauth' } }), host).rejects.toMatchObject({ code: 'oauth-host-refused', message: expect.stringContaining('only to smtp.office365.com') });
      }
    } finally {
      person.stop();
    }
    expect(person.pages).toEqual([]);
    smtp.mailbox(user, { basicAuth: true, password: 'pw-for-the-scanner' });
    expect(await service.checkSmtp({ user, host: '127.0.0.1', port: smtp.port, auth: { kind: 'password', password: 'pw-for-the-scanner' } })).toMatchObject({ ok: true, method: 'password' });
  });
});

describe('smtp-check on the command line', () => {
  it('prints the reason and the sign-in address when SMTP.Send was never granted, then succeeds once the user consents', async () => {
    const user = `consent-cli-${process.pid}-${++n}@contoso.test`;
    const stateDir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, user, stateDir, oidc.userConsentClientId);
    smtp.mailbox(user, { smtpAuthDisabled: false });
    const env = { ...m365Env(oidc, pki.caFile, 'https://127.0.0.1:9', dovecot.imapsPort), CUTOVER_TEST_SMTP_OAUTH_TO_LOOPBACK: '1' };
    const run = startCli(['smtp-check', '--user', user, '--host', '127.0.0.1', '--port', String(smtp.port), '--ca', pki.caFile, '--state-dir', stateDir, '--json'], env);
    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && run.child.exitCode === null) {
      url = /(https:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(run.output().stderr)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    if (!url) throw new Error(`no sign-in address printed: ${run.output().stderr}`);
    await browser().signIn(url, user);
    const done = await run.done;
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, reply: { code: 235 } });
    expect(done.stderr).toMatch(/SMTP AUTH is a separate Microsoft 365 permission/);
  }, 90_000);

  it('refuses OAuth to another host with its own code and advice, and a --ca file without a certificate', async () => {
    const stateDir = tempStateDir();
    const env = m365Env(oidc, pki.caFile, 'https://127.0.0.1:9', dovecot.imapsPort);
    const refused = await runCli(['smtp-check', '--user', 'anna@contoso.test', '--host', 'mail.contoso.test', '--state-dir', stateDir, '--json'], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'oauth-host-refused' });
    expect(refused.stderr).toContain('CUTOVER_SMTP_PASSWORD');

    const notPem = join(stateDir, 'not-a-ca.pem');
    writeFileSync(notPem, 'hello\n');
    const bad = await runCli(['smtp-check', '--user', 'anna@contoso.test', '--ca', notPem, '--state-dir', stateDir], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`"${notPem}" holds no certificate`);
    const missing = await runCli(['smtp-check', '--user', 'anna@contoso.test', '--ca', join(stateDir, 'gone.pem'), '--state-dir', stateDir], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gone\.pem" cannot be read\./);
    expect(missing.stderr).not.toMatch(/ENOENT|errno/);
  }, 60_000);
});
