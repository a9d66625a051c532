import type { M365Status } from '../../../shared/app-api.js';
import type { ConsentRound, DeviceCodePrompt, M365Auth, SignedInAccount } from '../auth/m365-auth.js';
import type { GraphClient } from '../graph/graph-client.js';
import { knownClientId, openStoredM365, signInAndRemember, signInSettings } from '../m365/m365-session.js';
import type { ServiceContext } from './service-context.js';

/**
 * The Microsoft 365 sign-in as the service offers it. Loaded only when a call needs Microsoft 365
 * (it brings MSAL and the Graph SDK), so a copy between two IMAP servers never loads either.
 */
export type M365 = { auth: M365Auth; graph: GraphClient };

/** The stored sign-in with its Graph client (Graph's "wait N s" reaches every host as an event), or null. */
export function storedM365(ctx: ServiceContext): M365 | null {
  const { options } = ctx;
  return openStoredM365(options.stateDir, options.secretStore, options.m365 ?? {}, (waitSeconds) => ctx.emit({ type: 'm365-throttled', waitSeconds }));
}

export async function m365Status(ctx: ServiceContext): Promise<M365Status> {
  const account = (await storedM365(ctx)?.auth.signedIn()) ?? null;
  return { ...statusOf(account), hasClientId: knownClientId(ctx.options.stateDir, ctx.options.m365 ?? {}) !== null };
}

export async function m365SignIn(ctx: ServiceContext, options: { deviceCode: boolean; clientId: string | null; tenant: string | null }, signal?: AbortSignal): Promise<M365Status> {
  const { stateDir, secretStore, m365 = {} } = ctx.options;
  const settings = signInSettings(stateDir, { clientId: options.clientId || null, tenant: options.tenant || null }, m365);
  const account = await signInAndRemember(
    stateDir,
    secretStore,
    settings,
    options.deviceCode
      ? { deviceCode: true, show: (p) => showDeviceCode(ctx, p), ...(signal ? { signal } : {}) }
      : { deviceCode: false, openBrowser: (url) => openSignInPage(ctx, url, 'Sign in to Microsoft 365 in your browser.'), ...(signal ? { signal } : {}) },
    m365,
  );
  ctx.signInWith = options.deviceCode ? 'device-code' : 'browser';
  ctx.log.write('m365-signed-in', { username: account.username, deviceCode: options.deviceCode });
  return statusOf(account);
}

export async function m365SignOut(ctx: ServiceContext): Promise<void> {
  await storedM365(ctx)?.auth.signOut();
}

/** A permission missing after sign-in is asked for the way the user signed in; every host is told through 'm365-sign-in' events. */
export function consentRound(ctx: ServiceContext): ConsentRound {
  return ctx.signInWith === 'device-code' ? { kind: 'device-code', show: (p) => showDeviceCode(ctx, p) } : { kind: 'browser', openBrowser: (url, reason) => openSignInPage(ctx, url, reason) };
}

function showDeviceCode(ctx: ServiceContext, p: DeviceCodePrompt): void {
  ctx.emit({ type: 'm365-sign-in', url: p.verificationUri, userCode: p.userCode, message: p.reason ? `${p.reason} ${p.message}` : p.message });
}

async function openSignInPage(ctx: ServiceContext, url: string, message: string): Promise<void> {
  ctx.emit({ type: 'm365-sign-in', url, userCode: null, message });
  await ctx.options.openBrowser?.(url);
}

function statusOf(account: SignedInAccount | null): M365Status {
  return { signedIn: account !== null, username: account?.username ?? null, name: account?.name ?? null, tenantId: account?.tenantId ?? null };
}
