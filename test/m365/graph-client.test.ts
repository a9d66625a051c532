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
let user: string;
let imapToken: () => Promise<string>;
let client2Token: (force: boolean) => Promise<string>;
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
  graph.route('POST', /^\/v1\.0\/me\/testEcho$/, (_m, r) => ok({ id: `echo-${String((r.body as { n?: unknown }).n)}` }, 201));
  user = addUser(dovecot, 'm365', { m365: true });
  const auth = await signInToStateDir(oidc, pki.caFile, user, tempStateDir());
  imapToken = async () => (await auth.imapCredentials()).accessToken;
  client2Token = (force) => auth.graphToken(force);
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

  it('waits at most its cap for a throttled $batch request, however long Retry-After says, and reports the wait', async () => {
    const seen: number[] = [];
    const capped = new GraphClient({ baseUrl: graph.url, getToken: (force) => client2Token(force), maxRetryAfterSeconds: 1, onThrottled: (s) => seen.push(s) });
    // Graph asks for an hour; the client waits its cap (1 s here, 5 minutes by default) and tries again.
    graph.throttleNext(1, 3600);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('still waiting on Retry-After')), 30_000)));
    try {
      const answers = await Promise.race([capped.batch([{ id: '1', method: 'GET', url: '/me' }]), hung]);
      expect(answers.map((a) => a.status)).toEqual([200]);
    } finally {
      clearTimeout(timer);
    }
    expect(seen).toEqual([1]);
  });

  it('splits $batch by size as well (Graph refuses requests over 4 MB), and answers a request too large to send without failing the others', async () => {
    const before = graph.log.filter((l) => l.path === '/v1.0/$batch').length;
    const big = 'x'.repeat(600_000);
    const requests = Array.from({ length: 12 }, (_, n) => ({ id: String(n), method: 'POST' as const, url: '/me/testEcho', body: { n: String(n), note: big } as { n: string; note: string } }));
    requests.push({ id: 'huge', method: 'POST', url: '/me/testEcho', body: { n: 'huge', note: 'y'.repeat(4_300_000) } });
    const answers = await client.batch(requests);
    expect(answers.slice(0, 12).map((a) => [a.status, (a.body as { id: string }).id])).toEqual(Array.from({ length: 12 }, (_, n) => [201, `echo-${n}`]));
    expect(answers[12]).toMatchObject({ id: 'huge', status: 413 });
    const batches = graph.log.filter((l) => l.path === '/v1.0/$batch').slice(before);
    expect(batches.every((b) => b.status === 200)).toBe(true);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify(b.body))).toBeLessThan(3.2 * 1024 * 1024);
  });

  it('answers each request of a $batch that failed as a whole with that failure, and goes on with the next batch', async () => {
    graph.failNextBatch(1, 503);
    const answers = await client.batch(Array.from({ length: 25 }, (_, n) => ({ id: String(n), method: 'POST' as const, url: '/me/testEcho', body: { n } })));
    expect(answers.slice(0, 20).every((a) => a.status === 503)).toBe(true);
    expect(answers.slice(20).map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
  });

  it('is throttled by the stand-in beyond 4 concurrent requests per mailbox, $batch itself included, and waits it out', async () => {
    const second = new GraphClient({ baseUrl: graph.url, getToken: (force) => client2Token(force) });
    const before = graph.log.length;
    // Four held requests from one client fill the mailbox's four slots…
    const release = graph.hold();
    const busy = Array.from({ length: 4 }, () => client.get<{ id: string }>('/me'));
    for (let i = 0; i < 1000 && graph.inFlightFor(user) < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(graph.inFlightFor(user)).toBe(4);
    // …so another client's $batch is refused as a whole with 429, then retried after Retry-After.
    const batch = second.batch(Array.from({ length: 3 }, (_, n) => ({ id: String(n), method: 'GET' as const, url: '/me' })));
    for (let i = 0; i < 1000 && !graph.log.slice(before).some((l) => l.path === '/v1.0/$batch' && l.status === 429); i++) await new Promise((r) => setTimeout(r, 10));
    release();
    expect((await batch).every((a) => a.status === 200)).toBe(true);
    expect((await Promise.all(busy)).every((r) => typeof r.id === 'string')).toBe(true);
    expect(graph.log.slice(before).some((l) => l.path === '/v1.0/$batch' && l.status === 429)).toBe(true);
  }, 60_000);

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

