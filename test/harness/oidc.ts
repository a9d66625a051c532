import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import Provider, { errors, type Configuration } from 'oidc-provider';

/** The identity-platform stand-in: a real OpenID provider over HTTPS on 127.0.0.1. */
export interface OidcInfo {
  issuer: string;
  /** An app registration whose admin granted tenant-wide consent to every permission it asks for. */
  clientId: string;
  /** An app registration without admin consent: each user consents to each resource themselves. */
  userConsentClientId: string;
  /**
   * An app registration whose admin consented to the copy's permissions only (Graph's copy scopes and
   * IMAP), in a tenant where users may not consent to anything themselves (AADSTS90094).
   */
  copyOnlyClientId: string;
  /** Confidential clients allowed to introspect tokens (Dovecot's oauth2 passdb, the Graph stand-in). */
  introspector: { id: string; secret: string };
  introspectionUrl: string;
}

export interface RunningOidc extends OidcInfo {
  stop(): Promise<void>;
}

export const GRAPH_SCOPES = ['User.Read', 'Mail.ReadWrite', 'Contacts.ReadWrite', 'Calendars.ReadWrite', 'MailboxSettings.Read'];
/** Reading a tenant's domains: a permission only an administrator may consent to in Entra. */
export const DOMAIN_SCOPE = 'Domain.Read.All';
const ADMIN_ONLY_SCOPES = [DOMAIN_SCOPE];
export const IMAP_SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All';
export const SMTP_SCOPE = 'https://outlook.office.com/SMTP.Send';
/** Resources as Entra knows them: each access token is for exactly one, named in its audience. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const OUTLOOK_RESOURCE = 'https://outlook.office.com';
const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email'];

/** The resource a scope belongs to (Entra: a short name like "User.Read" means Microsoft Graph), or null for OpenID scopes. */
export function resourceOf(scope: string): string | null {
  if (OIDC_SCOPES.includes(scope)) return null;
  if (/^https?:\/\//.test(scope)) return new URL(scope).origin;
  return GRAPH_RESOURCE;
}

/**
 * Starts oidc-provider with the test CA's certificate (the same one Dovecot uses). Users log in with
 * any account name and the password "letmein"; access tokens live `accessTokenSeconds` so tests can
 * watch them expire.
 *
 * It behaves like Entra where Cutover depends on it:
 * - every access token is for one resource (Microsoft Graph or Exchange Online), named in its
 *   audience (RFC 8707 resource indicators, chosen from the scopes because MSAL sends no `resource`);
 * - a token request whose scopes span two resources is refused with AADSTS28000 ("contains more than
 *   one resource"), although the authorization and device-code endpoints accept them for consent
 *   (https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/1487);
 * - consent belongs to the user and the app, not to a browser session, and a refresh token serves
 *   every resource consented to ("refresh tokens are bound to a combination of user and client, but
 *   aren't tied to a resource", https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens);
 * - asking silently for a resource nobody consented to is refused with AADSTS65001 and the
 *   `consent_required` sub-error, which MSAL turns into InteractionRequiredAuthError;
 * - `clientId` is an app registration with tenant-wide admin consent to all its permissions,
 *   `userConsentClientId` one where each user consents to each resource at sign-in (but never to an
 *   admin-only permission such as Domain.Read.All: AADSTS90094), `copyOnlyClientId` one whose admin
 *   consented to the copy's permissions only, in a tenant where users may not consent (AADSTS90094).
 */
export async function startOidc(tls: { certFile: string; keyFile: string }, options: { port?: number; accessTokenSeconds?: number } = {}): Promise<RunningOidc> {
  const server: Server = createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = `https://127.0.0.1:${port}`;
  const clientId = '11111111-2222-3333-4444-555555555555';
  const userConsentClientId = '22222222-3333-4444-5555-666666666666';
  const copyOnlyClientId = '33333333-4444-5555-6666-777777777777';
  const introspector = { id: 'resource-servers', secret: 'introspection-secret-for-tests' };
  const accessTokenTTL = options.accessTokenSeconds ?? 3600;
  const resourceScopes: Record<string, string[]> = { [GRAPH_RESOURCE]: [...GRAPH_SCOPES, DOMAIN_SCOPE], [OUTLOOK_RESOURCE]: [IMAP_SCOPE, SMTP_SCOPE] };
  /** What the admin consented to for copyOnlyClientId. */
  const copyOnlyScopes: Record<string, string[]> = { [GRAPH_RESOURCE]: GRAPH_SCOPES, [OUTLOOK_RESOURCE]: [IMAP_SCOPE] };
  const publicClient = (id: string) => ({
    client_id: id,
    application_type: 'native' as const,
    token_endpoint_auth_method: 'none' as const,
    redirect_uris: ['http://localhost'],
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code' as const],
  });
  /** user|client → the grant holding their consent, whichever session or flow created it. */
  const consents = new Map<string, string>();
  const resourcesIn = (scope: string | undefined): string[] => [...new Set((scope ?? '').split(' ').filter(Boolean).map(resourceOf).filter((r): r is string => r !== null))];
  const configuration: Configuration = {
    clients: [publicClient(clientId), publicClient(userConsentClientId), publicClient(copyOnlyClientId), { client_id: introspector.id, client_secret: introspector.secret, grant_types: [], response_types: [], redirect_uris: [] }],
    scopes: OIDC_SCOPES,
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
    async findAccount(_ctx, sub) {
      return { accountId: sub, claims: async () => ({ sub, preferred_username: sub, email: sub, name: `Test user ${sub}` }) };
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client) => client.clientId === introspector.id },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // MSAL sends scopes, never `resource`: the scopes say which resource(s) a request is for. At
        // the token endpoint (oneOf = the resources granted) exactly one is chosen the same way.
        defaultResource: async (ctx, _client, oneOf) => {
          const wanted = resourcesIn(ctx.oidc.params?.scope as string | undefined);
          if (!oneOf) return wanted.length > 1 ? wanted : wanted[0];
          return oneOf.find((r) => wanted.includes(r)) ?? oneOf[0]!;
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          const scopes = resourceScopes[indicator];
          if (!scopes) throw new errors.InvalidTarget();
          return { scope: scopes.join(' '), audience: indicator, accessTokenTTL, accessTokenFormat: 'opaque' };
        },
      },
    },
    // MSAL derives the device-code URL from the token URL ("/token" → "/devicecode"), as on Entra.
    routes: { device_authorization: '/devicecode' },
    ttl: {
      AccessToken: accessTokenTTL,
      IdToken: 3600,
      RefreshToken: 86_400,
      DeviceCode: 600,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
    },
    rotateRefreshToken: false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session!.accountId!;
      const client = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(client) ?? consents.get(`${accountId}|${client}`);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (client !== clientId && client !== copyOnlyClientId) return undefined;
      // Admin consent: the tenant already agreed to these permissions of this app for all users.
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId: client });
      grant.addOIDCScope(OIDC_SCOPES.join(' '));
      for (const [resource, scopes] of Object.entries(client === clientId ? resourceScopes : copyOnlyScopes)) grant.addResourceScope(resource, scopes.join(' '));
      await grant.save();
      return grant;
    },
    cookies: { keys: ['cutover-test-cookie-key'] },
    // Put profile claims (preferred_username) in the ID token, as Entra does; MSAL reads them there.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
  };
  const provider = new Provider(issuer, configuration);
  provider.on('grant.saved', (grant: { jti: string; accountId?: string; clientId?: string }) => {
    if (grant.accountId && grant.clientId) consents.set(`${grant.accountId}|${grant.clientId}`, grant.jti);
  });
  provider.use(async (ctx, next) => {
    // Consent a user may not give: Entra stops at "Need admin approval" (AADSTS90094); the app gets
    // access_denied. Decided when the consent page would be shown, for the browser and device flows alike.
    if (ctx.method === 'GET' && /^\/interaction\/[^/]+$/.test(ctx.path)) {
      const details = await provider.interactionDetails(ctx.req, ctx.res).catch(() => null);
      const client = details?.params.client_id;
      const missing = Object.entries((details?.prompt.details.missingResourceScopes ?? {}) as Record<string, string[]>).flatMap(([resource, scopes]) => scopes.map((scope) => ({ resource, scope })));
      const adminOnly =
        client === copyOnlyClientId
          ? missing.some((m) => !copyOnlyScopes[m.resource]?.includes(m.scope))
          : client === userConsentClientId && missing.some((m) => ADMIN_ONLY_SCOPES.includes(m.scope));
      if (details?.prompt.name === 'consent' && adminOnly) {
        ctx.respond = false;
        await provider.interactionFinished(ctx.req, ctx.res, { error: 'access_denied', error_description: 'AADSTS90094: Cutover needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.' }, { mergeWithLastSubmission: false });
        return;
      }
    }
    if (ctx.method === 'POST' && ctx.path === '/token') {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      const params = new URLSearchParams(Buffer.concat(chunks).toString());
      // MSAL sends Entra's short grant name "device_code"; standard servers know only the RFC 8628 URN.
      if (params.get('grant_type') === 'device_code') params.set('grant_type', 'urn:ietf:params:oauth:grant-type:device_code');
      const scope = params.get('scope') ?? '';
      if (resourcesIn(scope).length > 1) {
        entraError(ctx, 'invalid_scope', 28000, `AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`);
        return;
      }
      if (params.get('grant_type') === 'refresh_token') {
        // Entra accepts offline_access in a refresh request; oidc-provider only if the refresh token
        // carries it, which by the OpenID rules needs prompt=consent. Drop it, as it changes nothing.
        if (scope) params.set('scope', scope.split(' ').filter((x) => x !== 'offline_access').join(' '));
        const refused = await widenRefreshToken(provider, params.get('refresh_token') ?? '', params.get('scope') ?? '');
        if (refused) {
          entraError(ctx, 'invalid_grant', 65001, `AADSTS65001: The user or administrator has not consented to use the application with ID '${params.get('client_id')}'. Send an interactive authorization request for this user and resource.`, 'consent_required');
          return;
        }
      }
      (ctx.req as unknown as { body: string }).body = params.toString();
    }
    await next();
  });
  // Test-only: TLS ends at this server, which oidc-provider should treat as a secure context.
  provider.proxy = true;
  provider.on('server_error', (_ctx: unknown, err: Error) => process.stderr.write(`oidc-provider server_error: ${err.stack}\n`));
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    userConsentClientId,
    copyOnlyClientId,
    introspector,
    introspectionUrl: `${issuer}/token/introspection`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Entra's refresh tokens serve every resource the user consented to for the app; oidc-provider's
 * only the scopes of the request that issued them. Before a refresh, widen the token to what the
 * grant holds. Returns true when the grant lacks a requested scope (no consent: Entra's AADSTS65001).
 */
async function widenRefreshToken(provider: Provider, value: string, scope: string): Promise<boolean> {
  const token = await provider.RefreshToken.find(value, { ignoreExpiration: true });
  if (!token?.grantId) return false;
  const grant = await provider.Grant.find(token.grantId);
  if (!grant) return false;
  const requested = scope.split(' ').filter(Boolean);
  const resources = [...new Set(requested.map(resourceOf).filter((r): r is string => r !== null))];
  for (const s of requested) {
    const r = resourceOf(s);
    const granted = r === null ? grant.getOIDCScope() : grant.getResourceScope(r);
    if (!granted.split(' ').includes(s)) return true;
  }
  const all = new Set([...(token.scope ?? '').split(' '), ...requested].filter(Boolean));
  const known = Array.isArray(token.resource) ? token.resource : token.resource ? [token.resource] : [];
  token.scope = [...all].join(' ');
  token.resource = [...new Set([...known, ...resources])];
  await token.save();
  return false;
}

/** An error the way Entra's token endpoint writes it (MSAL reads error, error_description, suberror). */
function entraError(ctx: { status: number; body: unknown; type: string }, error: string, code: number, description: string, suberror?: string): void {
  ctx.status = 400;
  ctx.type = 'application/json';
  ctx.body = { error, error_description: description, error_codes: [code], ...(suberror ? { suberror } : {}) };
}
