import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GraphClient } from '../../src/main/engine/graph/graph-client.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addPimRoutes, type PimStore } from '../harness/graph-standin-pim.js';
import { signInToStateDir } from '../harness/m365.js';

/** The Graph stand-in refuses what Graph and Exchange refuse, and computes series as Outlook does. */
const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let standin: GraphStandin;
let store: PimStore;
let graph: GraphClient;
let token: () => Promise<string>;
let calendar: string;

beforeAll(async () => {
  standin = await GraphStandin.start(pki, oidc);
  store = addPimRoutes(standin);
  const user = addUser(dovecot, 'm365', { m365: true });
  const auth = await signInToStateDir(oidc, pki.caFile, user, tempStateDir());
  token = () => auth.graphToken();
  graph = new GraphClient({ baseUrl: standin.url, getToken: (force) => auth.graphToken(force) });
  calendar = (await graph.post<{ id: string }>('/me/calendars', { name: 'Strict' })).id;
});
afterAll(async () => standin.stop());

const at = (dateTime: string, timeZone = 'W. Europe Standard Time') => ({ dateTime, timeZone });
const create = (body: Record<string, unknown>) => graph.post<{ id: string }>(`/me/calendars/${calendar}/events`, { subject: 'x', start: at('2025-01-06T09:00:00'), end: at('2025-01-06T10:00:00'), ...body });
const instanceDates = async (id: string, to: string) =>
  (await graph.getAll<{ originalStart: string; start: { dateTime: string } }>(`/me/events/${id}/instances?startDateTime=2025-01-01T00:00:00Z&endDateTime=${to}T00:00:00Z`)).map((i) => i.start.dateTime.slice(0, 10));

describe('the Graph stand-in, strict like Graph', () => {
  it('refuses a property the resource does not have, a wrong enumeration value and null where Graph has no null', async () => {
    await expect(create({ subjekt: 'typo' })).rejects.toMatchObject({ detail: '400 RequestBodyRead', message: expect.stringContaining("'subjekt' does not exist on type 'microsoft.graph.event'") });
    await expect(create({ showAs: 'maybe' })).rejects.toMatchObject({ detail: '400 RequestBodyRead' });
    await expect(graph.post('/me/contactFolders', { displayName: 'x', color: 'blue' })).rejects.toMatchObject({ detail: '400 RequestBodyRead' });
    await expect(create({ cancelledOccurrences: null })).rejects.toMatchObject({ detail: '400 RequestBodyRead' });
    expect((await create({ location: null, categories: [] })).id).toBeTruthy();
  });

  it('accepts Windows zone names and the IANA names Graph lists, and refuses other IANA names', async () => {
    expect((await create({ start: at('2025-01-06T09:00:00', 'Europe/Berlin'), end: at('2025-01-06T10:00:00', 'Europe/Berlin') })).id).toBeTruthy();
    expect((await create({ start: at('2025-01-06T09:00:00', 'Tokyo Standard Time'), end: at('2025-01-06T10:00:00', 'Tokyo Standard Time') })).id).toBeTruthy();
    await expect(create({ start: at('2025-01-06T09:00:00', 'America/Argentina/Cordoba'), end: at('2025-01-06T10:00:00', 'America/Argentina/Cordoba') })).rejects.toMatchObject({ detail: '400 TimeZoneNotSupportedException' });
  });

  it('refuses an all-day event shorter than a day', async () => {
    await expect(create({ isAllDay: true, start: at('2025-01-06T00:00:00'), end: at('2025-01-06T00:00:00') })).rejects.toMatchObject({ detail: '400 ErrorInvalidRequest', message: expect.stringContaining('at least one day') });
    expect((await create({ isAllDay: true, start: at('2025-01-06T00:00:00'), end: at('2025-01-07T00:00:00') })).id).toBeTruthy();
  });

  it('places a day 29–31 of every month on the last day of shorter months, as Outlook does', async () => {
    const { id } = await create({
      start: at('2025-01-31T09:00:00'),
      end: at('2025-01-31T10:00:00'),
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: { type: 'numbered', startDate: '2025-01-31', numberOfOccurrences: 4 } },
    });
    expect(await instanceDates(id, '2025-06-01')).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30']);
  });

  it('counts the weeks of an every-other-week series from firstDayOfWeek', async () => {
    const series = (firstDayOfWeek: string) =>
      create({
        start: at('2025-01-05T09:00:00'),
        end: at('2025-01-05T10:00:00'),
        recurrence: { pattern: { type: 'weekly', interval: 2, daysOfWeek: ['sunday', 'monday'], firstDayOfWeek }, range: { type: 'numbered', startDate: '2025-01-05', numberOfOccurrences: 4 } },
      });
    expect(await instanceDates((await series('sunday')).id, '2025-03-01')).toEqual(['2025-01-05', '2025-01-06', '2025-01-19', '2025-01-20']);
    expect(await instanceDates((await series('monday')).id, '2025-03-01')).toEqual(['2025-01-05', '2025-01-13', '2025-01-19', '2025-01-27']);
  });

  it('refuses a request over 4 MB, and an upload session under 3 MB or one sent an Authorization header', async () => {
    const { id } = await create({});
    await expect(graph.post(`/me/events/${id}/attachments`, { '@odata.type': '#microsoft.graph.fileAttachment', name: 'big.bin', contentBytes: Buffer.alloc(3_200_000).toString('base64') })).rejects.toMatchObject({
      detail: '413 RequestEntityTooLarge',
    });
    await expect(graph.post(`/me/events/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'small.bin', size: 1000 } })).rejects.toMatchObject({ detail: expect.stringMatching(/^400 /) });
    const session = await graph.post<{ uploadUrl: string }>(`/me/events/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'scan.pdf', size: 3_100_000 } });
    const withAuth = await fetch(session.uploadUrl, { method: 'PUT', headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/octet-stream', 'Content-Range': 'bytes 0-9/3100000' }, body: Buffer.alloc(10) });
    expect(withAuth.status).toBe(401);
    await graph.uploadToSession(session.uploadUrl, Buffer.alloc(3_100_000, 1));
    expect([...store.events.values()].find((e) => e.id === id)?.attachments.map((a) => [a.name, a.size])).toEqual([['scan.pdf', 3_100_000]]);
  });
});

describe('the Graph client with upload sessions', () => {
  it('gives up waiting for a PUT that gets no answer, asks the session where to go on, and stores the file once', async () => {
    const auth = token;
    const patient = new GraphClient({ baseUrl: standin.url, getToken: () => auth(), uploadChunkTimeoutMs: 1_000 });
    const { id } = await create({});
    const size = 7_000_000;
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = i % 251;
    const session = await patient.post<{ uploadUrl: string }>(`/me/events/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'report.pdf', size } });
    // The first range arrives and is kept, but its answer never comes back until the test ends.
    const stalled = standin.stallNextUploadAnswer();
    const logStart = standin.log.length;
    let timer: NodeJS.Timeout | undefined;
    try {
      const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the upload never finished')), 30_000)));
      await Promise.race([patient.uploadToSession(session.uploadUrl, data), hung]);
    } finally {
      clearTimeout(timer);
      stalled.release();
    }
    const event = [...store.events.values()].find((e) => e.id === id)!;
    expect(event.attachments.map((a) => [a.name, a.size])).toEqual([['report.pdf', size]]);
    expect(Buffer.from(event.attachments[0]!.contentBytes, 'base64').equals(data)).toBe(true);
    // The session was asked where to go on, and the first range was not sent twice.
    const calls = standin.log.slice(logStart).filter((l) => l.path.startsWith('/upload/'));
    expect(calls.some((l) => l.method === 'GET')).toBe(true);
    expect(calls.filter((l) => l.method === 'PUT').map((l) => (l.body as { range: string }).range)).toEqual(['bytes 3276800-6553599/7000000', 'bytes 6553600-6999999/7000000']);
  });
});
