import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readDavCollection } from '../../src/main/engine/dav/read-dav.js';
import { tempStateDir } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { GraphStandin } from '../harness/graph-standin.js';
import { addPimRoutes, type PimStore } from '../harness/graph-standin-pim.js';
import { m365Env, signInToStateDir } from '../harness/m365.js';
import { cardsOf, objectsOf, Radicale } from '../harness/radicale.js';
import { runCli } from '../harness/run-cli.js';

const dovecot = inject('dovecot');
const oidc = inject('oidc');
const pki = inject('pki');
let radicale: Radicale;
let standin: GraphStandin;
let store: PimStore;

const fixture = (dir: string, name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/${dir}/${name}`, import.meta.url)), 'utf8');

beforeAll(async () => {
  radicale = await Radicale.start({ anna: 'dav-secret', other: 'x' });
  radicale.addressBook('anna', 'contacts', [...cardsOf(fixture('contacts', 'google-3.0.vcf')), ...cardsOf(fixture('contacts', 'apple-3.0.vcf'))]);
  radicale.addressBook('anna', 'work', cardsOf(fixture('contacts', 'v4.vcf')));
  radicale.calendar('anna', 'personal', [...objectsOf(fixture('calendar', 'google.ics')), ...objectsOf(fixture('calendar', 'apple.ics'))]);
  standin = await GraphStandin.start(pki, oidc);
  store = addPimRoutes(standin);
});
afterAll(async () => {
  await radicale.stop();
  await standin.stop();
});

describe('CardDAV and CalDAV as the source (Radicale)', () => {
  it('discovers every address book and calendar from the server URL and reads all items', async () => {
    const contacts = await readDavCollection({ url: radicale.url, user: 'anna', password: 'dav-secret', kind: 'carddav' });
    expect(contacts.sources).toHaveLength(2);
    expect(contacts.sources.map((s) => s.origin).sort()).toEqual([`${radicale.url}anna/contacts/`, `${radicale.url}anna/work/`]);
    const calendars = await readDavCollection({ url: radicale.url, user: 'anna', password: 'dav-secret', kind: 'caldav' });
    expect(calendars.sources.length).toBeGreaterThanOrEqual(2);
  });

  it('names the server when the password is wrong', async () => {
    await expect(readDavCollection({ url: radicale.url, user: 'anna', password: 'nope', kind: 'carddav' })).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('copies contacts and calendars from the server into Microsoft 365 with one command each, twice without duplicates', async () => {
    const user = addUser(dovecot, 'm365', { m365: true });
    const stateDir = tempStateDir();
    await signInToStateDir(oidc, pki.caFile, user, stateDir);
    const env = { ...m365Env(oidc, pki.caFile, standin.url, dovecot.imapsPort), CUTOVER_DAV_PASSWORD: 'dav-secret' };
    const contacts = ['contacts', 'copy', '--carddav', radicale.url, '--dav-user', 'anna', '--target', `m365:${user}`, '--state-dir', stateDir, '--json'];
    const first = await runCli(contacts, env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: 4, failed: [] });
    expect(JSON.parse(first.stdout).groups.map((g: { name: string }) => g.name).sort()).toEqual(['Famiglia', 'Équipe projet']);
    const second = await runCli(contacts, env);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, unchanged: 4 });

    const calendar = ['calendar', 'copy', '--caldav', radicale.url, '--dav-user', 'anna', '--target', `m365:${user}`, '--state-dir', stateDir, '--time-zone', 'Europe/Madrid', '--json'];
    const cal = await runCli(calendar, env);
    expect(cal.code, cal.stderr).toBe(0);
    expect(JSON.parse(cal.stdout)).toMatchObject({ folder: 'Calendar from old mailbox', created: 5, failed: [] });
    expect([...store.events.values()].filter((e) => e.user === user)).toHaveLength(5);
    expect(store.mailsSent).toBe(0);
  }, 60_000);
});
