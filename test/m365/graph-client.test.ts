import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GraphClient } from '../../src/main/engine/graph/graph-client.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { error, GraphStandin, ok, page } from '../harness/graph-standin.js';
import { signInToStateDir } from '../harness/m365.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let graph: GraphStandin;
let client: GraphClient;
let imapToken: () => Promise<string>;
let tokenCalls: boolean[];
let throttled: number[];

beforeAll(async () => {
  graph = await GraphStandin.start(pki, oidc);
  // Test-only endpoints: a long collection, and a POST that fails with 503.
  const items = Array.from({ length: 45 }, (_, i) => ({ id: `item-${i}` }));
  graph.route('GET', /^\/v1\.0\/me\/testItems$/, (_m, r) => page(items, r.query, `${graph.url}/v1.0/me/testItems`));
  let posts = 0;
  graph.route('POST', /^\/v1\.0\/me\/testCreate$/, () => (++posts === 1 ? error(503, 'ServiceUnavailable', 'Try later') : ok({ id: `created-${posts}` }, 201)));
  graph.route('GET', /^\/v1\.0\/me\/testCreateCount$/, () => ok({ posts }));
  const user = addUser(dovecot, 'm365', { m365: true });
  const auth = await signInToStateDir(oidc, pki.caFile, user, tempStateDir());
  imapToken = async () => (await auth.imapCredentials()).accessToken;
  tokenCalls = [];
  throttled = [];
  client = new GraphClient({
    baseUrl: graph.url,
    getToken: async (force) => {
      tokenCalls.push(force);
      // A broken first token: the client must get a fresh one on 401 and try once more.
      return tokenCalls.length === 1 ? 'not-a-valid-token' : auth.graphToken(force);
    },
    onThrottled: (s) => throttled.push(s),
  });
});
afterAll(async () => graph.stop());

describe('the Microsoft Graph client', () => {
  it('renews the token once on 401 and then succeeds', async () => {
    const me = await client.get<{ userPrincipalName: string }>('/me');
    expect(me.userPrincipalName).toMatch(/@contoso\.test$/);
    expect(tokenCalls.slice(0, 2)).toEqual([false, true]);
  });

  it('is refused 401 with a token for another resource (an Exchange IMAP token is no Graph token)', async () => {
    const wrong = new GraphClient({ baseUrl: graph.url, getToken: imapToken });
    await expect(wrong.get('/me')).rejects.toMatchObject({ code: 'sign-in-required', detail: '401 InvalidAuthenticationToken' });
  });

  it('follows @odata.nextLink through every page', async () => {
    const all = await client.getAll<{ id: string }>('/me/testItems?$top=10');
    expect(all).toHaveLength(45);
    expect(new Set(all.map((i) => i.id)).size).toBe(45);
  });

  it('waits out 429 Retry-After and then succeeds', async () => {
    graph.throttleNext(2, 1);
    const started = Date.now();
    const me = await client.get<{ id: string }>('/me');
    expect(me.id).toBeTruthy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(throttled).toEqual([1, 1]);
  });

  it('splits $batch into requests of at most 20 and retries throttled sub-requests', async () => {
    throttled.length = 0;
    graph.throttleNext(3, 1);
    const before = graph.log.filter((l) => l.path === '/v1.0/$batch').length;
    const answers = await client.batch(Array.from({ length: 45 }, (_, i) => ({ id: String(i), method: 'GET' as const, url: '/me/mailFolders/inbox' })));
    expect(answers.map((a) => a.status)).toEqual(Array(45).fill(200));
    const batches = graph.log.filter((l) => l.path === '/v1.0/$batch').slice(before);
    expect(batches.length).toBe(4);
    for (const b of batches) expect((b.body as { requests: unknown[] }).requests.length).toBeLessThanOrEqual(20);
    expect(throttled).toEqual([1]);
  });

  it('never re-sends a POST that failed with 503 (it may have been executed)', async () => {
    await expect(client.post('/me/testCreate', { name: 'x' })).rejects.toMatchObject({ code: 'graph-error', retryable: true });
    expect((await client.get<{ posts: number }>('/me/testCreateCount')).posts).toBe(1);
  });

  it('gets 400 from the stand-in for query options Graph does not have, reported as an error naming the call', async () => {
    await expect(client.get('/me?$frobnicate=1')).rejects.toThrow(/400 BadRequest to GET \/me\?\$frobnicate=1/);
  });

  it('keeps at most 4 requests in flight per mailbox', async () => {
    graph.latencyMs = 50;
    graph.peakInFlight = 0;
    try {
      await Promise.all(Array.from({ length: 12 }, () => client.get('/me')));
    } finally {
      graph.latencyMs = 0;
    }
    expect(graph.peakInFlight).toBe(4);
  });
});

