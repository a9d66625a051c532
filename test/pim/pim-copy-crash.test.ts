import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyEvents } from '../../src/main/engine/calendar/copy-events.js';
import { planCalendar } from '../../src/main/engine/calendar/plan-calendar.js';
import { GraphClient } from '../../src/main/engine/graph/graph-client.js';
import { readSourceFiles } from '../../src/main/engine/pim/read-source-files.js';
import { undoItems } from '../../src/main/engine/pim/undo-items.js';
import { StateStore } from '../../src/main/engine/state/state-store.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addPimRoutes, type PimStore } from '../harness/graph-standin-pim.js';
import { m365Env, signInToStateDir, signedInPimSession } from '../harness/m365.js';
import { runCli, startCli } from '../harness/run-cli.js';

/**
 * The calendar copy when runs are interrupted, answers are lost, and copies are undone and made
 * again: nothing skipped, nothing created twice, nothing refused for good.
 */
const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let standin: GraphStandin;
let store: PimStore;

beforeAll(async () => {
  standin = await GraphStandin.start(pki, oidc);
  store = addPimRoutes(standin);
});
afterAll(async () => standin.stop());

const session = () => signedInPimSession(dovecot, oidc, pki.caFile, standin.url);

/** A one-file calendar (CRLF, as exported) with the given VEVENT bodies. */
function icsFile(events: string[], dir = tempStateDir()): string {
  const file = join(dir, 'calendar.ics');
  writeFileSync(file, ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Cutover tests//EN', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e.trim().split('\n'), 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n'));
  return file;
}

const PLANNING = `UID:planning-1
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:20250310T090000
DTEND;TZID=Europe/Berlin:20250310T100000
SUMMARY:Planning`;

const copyFile = async (file: string, graph: GraphClient, state: StateStore, user: string) =>
  copyEvents(await planCalendar(readSourceFiles([file]), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') }), { graph, state, mailbox: user });
const eventsIn = (user: string, name: string) => {
  const cal = [...store.calendars.values()].find((c) => c.user === user && c.name === name);
  return cal ? [...store.events.values()].filter((e) => e.calendarId === cal.id) : [];
};

describe('the after-work of a created event (attachments, cancelled occurrences) is never skipped', () => {
  const WEEKLY_WITH_NOTES = `UID:weekly-notes-1
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:20250303T100000
DTEND;TZID=Europe/Berlin:20250303T110000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Berlin:20250317T100000
SUMMARY:Weekly with notes
ATTACH;FMTTYPE=text/plain;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=notes.txt:${Buffer.from('agenda').toString('base64')}`;

  it('does the after-work of a create whose answer was lost: the next run adds the attachment and removes the cancelled occurrence', async () => {
    const { user, state, graph } = await session();
    const file = icsFile([WEEKLY_WITH_NOTES]);
    // The mailbox creates the event, but the $batch answer never comes back (a gateway 504).
    standin.loseNextBatchAnswer(1);
    const first = await copyFile(file, graph, state, user);
    expect(first).toMatchObject({ created: 0, failed: [{ reason: expect.stringMatching(/504; the next run checks/) }] });
    const [event] = eventsIn(user, 'Calendar from old mailbox');
    expect(event!.attachments).toEqual([]);
    expect(event!.cancelled.size).toBe(0);

    expect(await copyFile(file, graph, state, user)).toMatchObject({ created: 1, updated: 0, failed: [] });
    expect(eventsIn(user, 'Calendar from old mailbox')).toHaveLength(1);
    expect(event!.attachments.map((a) => [a.name, Buffer.from(a.contentBytes, 'base64').toString()])).toEqual([['notes.txt', 'agenda']]);
    expect([...event!.cancelled]).toEqual(['2025-03-17']);
    // Done now: a third run sends nothing.
    const logStart = standin.log.length;
    expect(await copyFile(file, graph, state, user)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(standin.log.slice(logStart).filter((l) => l.method !== 'GET')).toEqual([]);
  });

  it('finishes the after-work of an event when the copy was killed right after creating it, without a second attachment', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const stateDir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, user, stateDir);
    const file = icsFile([WEEKLY_WITH_NOTES]);
    const env = m365Env(oidc, pki.caFile, standin.url, dovecot.imapsPort);
    const args = ['calendar', 'copy', file, '--target', `m365:${user}`, '--state-dir', stateDir, '--time-zone', 'Europe/Berlin', '--json'];
    // Killed at a named point: the event exists, its attachment is being stored.
    const held = standin.holdFirst((method, path) => method === 'POST' && /^\/v1\.0\/me\/events\/[^/]+\/attachments$/.test(path));
    const { child, done } = startCli(args, env);
    await Promise.race([held.arrived, done.then((r) => Promise.reject(new Error(`the copy ended before storing the attachment: ${r.stderr}`)))]);
    child.kill('SIGKILL');
    await done;
    // The server still stores what it was sent; nothing records that on this computer.
    held.release();
    const [event] = eventsIn(user, 'Calendar from old mailbox');
    await expect.poll(() => event!.attachments.length).toBe(1);
    expect(event!.cancelled.size).toBe(0);

    const rerun = await runCli(args, env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ failed: [] });
    expect(eventsIn(user, 'Calendar from old mailbox')).toHaveLength(1);
    expect(event!.attachments.map((a) => a.name)).toEqual(['notes.txt']);
    expect([...event!.cancelled]).toEqual(['2025-03-17']);
  }, 60_000);

});

describe('copying again after an undo', () => {
  it('copies again after any number of undos, each time with a new transactionId: nothing is refused and nothing searched', async () => {
    const { user, state, graph } = await session();
    const file = icsFile([PLANNING]);
    expect(await copyFile(file, graph, state, user)).toMatchObject({ created: 1 });
    const logStart = standin.log.length;
    for (let cycle = 1; cycle <= 7; cycle++) {
      expect(await undoItems(graph, state, user, 'event', 'Calendar from old mailbox'), `undo ${cycle}`).toMatchObject({ deleted: 1 });
      expect(await copyFile(file, graph, state, user), `copy ${cycle}`).toMatchObject({ created: 1, failed: [] });
      expect(eventsIn(user, 'Calendar from old mailbox')).toHaveLength(1);
    }
    const after = standin.log.slice(logStart);
    expect(after.filter((l) => l.status === 400)).toEqual([]);
    // No search of every calendar by the source identity.
    expect(after.filter((l) => l.path.includes('$filter=singleValueExtendedProperties'))).toEqual([]);
  });

  it('copies again after an undo whose state folder is gone: Exchange refuses the used transactionId, the event is looked for, and created with a new one', async () => {
    const { user, state, graph } = await session();
    const file = icsFile([PLANNING]);
    expect(await copyFile(file, graph, state, user)).toMatchObject({ created: 1 });
    expect(await undoItems(graph, state, user, 'event', 'Calendar from old mailbox')).toMatchObject({ deleted: 1 });
    const fresh = StateStore.open(tempStateDir());
    const logStart = standin.log.length;
    expect(await copyFile(file, graph, fresh, user)).toMatchObject({ created: 1, failed: [] });
    expect(standin.log.slice(logStart).some((l) => l.status === 400 && l.path.includes('/events'))).toBe(true);
    expect(eventsIn(user, 'Calendar from old mailbox')).toHaveLength(1);
    // The new transactionId is kept with the copy: undo and copy again from there need no refusal.
    expect(await undoItems(graph, fresh, user, 'event', 'Calendar from old mailbox')).toMatchObject({ deleted: 1 });
    const again = standin.log.length;
    expect(await copyFile(file, graph, fresh, user)).toMatchObject({ created: 1, failed: [] });
    expect(standin.log.slice(again).filter((l) => l.status === 400)).toEqual([]);
  });

});
