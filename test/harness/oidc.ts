import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import Provider, { type Configuration } from 'oidc-provider';

/** The identity-platform stand-in: a real OpenID provider over HTTPS on 127.0.0.1. */
export interface OidcInfo {
  issuer: string;
  clientId: string;
  /** Confidential clients allowed to introspect tokens (Dovecot's oauth2 passdb, the Graph stand-in). */
  introspector: { id: string; secret: string };
  introspectionUrl: string;
}

export interface RunningOidc extends OidcInfo {
  stop(): Promise<void>;
}

export const GRAPH_SCOPES = ['User.Read', 'Mail.ReadWrite', 'Contacts.ReadWrite', 'Calendars.ReadWrite', 'MailboxSettings.Read'];
export const IMAP_SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All';
export const SMTP_SCOPE = 'https://outlook.office.com/SMTP.Send';

/**
 * Starts oidc-provider with the test CA's certificate (the same one Dovecot uses). Users log in with
 * any account name and the password "letmein"; access tokens live `accessTokenSeconds` so tests can
 * watch them expire.
 */
export async function startOidc(tls: { certFile: string; keyFile: string }, options: { port?: number; accessTokenSeconds?: number } = {}): Promise<RunningOidc> {
  const server: Server = createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = `https://127.0.0.1:${port}`;
  const clientId = '11111111-2222-3333-4444-555555555555';
  const introspector = { id: 'resource-servers', secret: 'introspection-secret-for-tests' };
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://localhost'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
      },
      { client_id: introspector.id, client_secret: introspector.secret, grant_types: [], response_types: [], redirect_uris: [] },
    ],
    scopes: ['openid', 'offline_access', 'profile', 'email', ...GRAPH_SCOPES, IMAP_SCOPE, SMTP_SCOPE],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
    async findAccount(_ctx, sub) {
      return { accountId: sub, claims: async () => ({ sub, preferred_username: sub, email: sub, name: `Test user ${sub}` }) };
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client) => client.clientId === introspector.id },
      revocation: { enabled: true },
    },
    // MSAL derives the device-code URL from the token URL ("/token" → "/devicecode"), as on Entra.
    routes: { device_authorization: '/devicecode' },
    ttl: {
      AccessToken: options.accessTokenSeconds ?? 3600,
      IdToken: 3600,
      RefreshToken: 86_400,
      DeviceCode: 600,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
    },
    // Entra's refresh tokens serve every consented resource; rotating (and so narrowing) them on each
    // use would not, so one refresh token is kept, like Entra's.
    rotateRefreshToken: false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx) => {
      // Consent is asked once per client; later logins reuse the grant, as Entra does.
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    cookies: { keys: ['cutover-test-cookie-key'] },
    // Put profile claims (preferred_username) in the ID token, as Entra does; MSAL reads them there.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
  };
  const provider = new Provider(issuer, configuration);
  // MSAL sends Entra's short grant name "device_code"; standard servers know only the RFC 8628 URN.
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token') {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString();
      const params = new URLSearchParams(text);
      if (params.get('grant_type') === 'device_code') params.set('grant_type', 'urn:ietf:params:oauth:grant-type:device_code');
      // Entra accepts offline_access in a refresh request; oidc-provider only if the refresh token
      // carries it, which by the OpenID rules needs prompt=consent. Drop it, as it changes nothing.
      if (params.get('grant_type') === 'refresh_token' && params.get('scope')) {
        params.set('scope', params.get('scope')!.split(' ').filter((x) => x !== 'offline_access').join(' '));
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
    introspector,
    introspectionUrl: `${issuer}/token/introspection`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
