import type { TestProject } from 'vitest/node';
import { prepareTestDir, startDovecot, type DovecotInfo, type RunningDovecot } from './dovecot.js';
import { startOidc, type OidcInfo, type RunningOidc } from './oidc.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dovecot: DovecotInfo;
    oidc: OidcInfo;
    pki: { caFile: string; certFile: string; keyFile: string };
  }
}

let dovecot: RunningDovecot | null = null;
let oidc: RunningOidc | null = null;

/**
 * One OpenID provider and one Dovecot for the whole run; every test claims its own users, so files
 * never collide. Dovecot validates XOAUTH2 tokens against the provider, like Exchange Online.
 */
export async function setup(project: TestProject): Promise<void> {
  const prepared = prepareTestDir();
  // MSAL and the Graph client use Node's TLS defaults: trust the test CA in every worker
  // (workers start after this, so they read it at start-up).
  process.env.NODE_EXTRA_CA_CERTS = prepared.caFile;
  // Short-lived access tokens, so tests see them expire and get renewed (Entra's last about an hour).
  oidc = await startOidc(prepared, { accessTokenSeconds: 8 });
  const url = new URL(oidc.introspectionUrl);
  url.username = oidc.introspector.id;
  url.password = oidc.introspector.secret;
  dovecot = await startDovecot(prepared, { url: url.toString(), caFile: prepared.caFile });
  const { stop: _stopDovecot, ...dovecotInfo } = dovecot;
  const { stop: _stopOidc, ...oidcInfo } = oidc;
  project.provide('dovecot', dovecotInfo);
  project.provide('oidc', oidcInfo);
  project.provide('pki', { caFile: prepared.caFile, certFile: prepared.certFile, keyFile: prepared.keyFile });
}

export async function teardown(): Promise<void> {
  await dovecot?.stop();
  await oidc?.stop();
}
