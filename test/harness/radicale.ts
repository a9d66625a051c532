import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { freePort } from './dovecot.js';

/**
 * A private Radicale (Debian `radicale`) as the old host's CardDAV/CalDAV server: 127.0.0.1 only,
 * plain-text htpasswd users, filesystem storage that tests fill directly (Radicale's own layout).
 */
export class Radicale {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(users: Record<string, string>): Promise<Radicale> {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-radicale-'));
    const port = await freePort();
    writeFileSync(join(dir, 'users'), Object.entries(users).map(([u, p]) => `${u}:${p}`).join('\n') + '\n');
    writeFileSync(
      join(dir, 'config'),
      `[server]\nhosts = 127.0.0.1:${port}\n[auth]\ntype = htpasswd\nhtpasswd_filename = ${dir}/users\nhtpasswd_encryption = plain\ndelay = 0\n` +
        `[storage]\nfilesystem_folder = ${dir}/collections\n[rights]\ntype = owner_only\n[logging]\nlevel = warning\n[web]\ntype = none\n`,
    );
    const child = spawn('/usr/bin/radicale', ['--config', join(dir, 'config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`radicale exited: ${stderr}`);
      const up = await new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      if (up) break;
      if (Date.now() > deadline) throw new Error(`radicale did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return new Radicale(child, dir, `http://127.0.0.1:${port}/`);
  }

  /** Creates an address book with these vCards (one file each). */
  addressBook(user: string, name: string, cards: string[]): void {
    this.collection(user, name, 'VADDRESSBOOK', cards.map((c, i) => [`card-${i}.vcf`, c]));
  }

  /** Creates a calendar with these objects (one VCALENDAR per file, as CalDAV stores them). */
  calendar(user: string, name: string, objects: string[]): void {
    this.collection(user, name, 'VCALENDAR', objects.map((o, i) => [`event-${i}.ics`, o]));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private collection(user: string, name: string, tag: string, files: [string, string][]): void {
    const path = join(this.dir, 'collections', 'collection-root', user, name);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, '.Radicale.props'), JSON.stringify({ tag, 'D:displayname': name }));
    for (const [file, content] of files) writeFileSync(join(path, file), content.replace(/\r?\n/g, '\r\n'));
  }
}

/** Splits a multi-card file into single cards, as a CardDAV server stores them (servers require a UID). */
export function cardsOf(text: string): string[] {
  return text
    .split(/(?<=END:VCARD\r?\n)/)
    .filter((c) => c.includes('BEGIN:VCARD'))
    .map((c, i) => (/^UID:/m.test(c) ? c : c.replace(/^(VERSION:.*)$/m, `$1\nUID:server-assigned-${i}-${c.length}`)));
}

/** Splits an export into one calendar object per UID (with its time zones), as CalDAV stores them. */
export function objectsOf(text: string): string[] {
  const cal = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const zones = cal.getAllSubcomponents('vtimezone').map((z) => z.toString());
  const byUid = new Map<string, string[]>();
  for (const ev of cal.getAllSubcomponents('vevent')) {
    const uid = String(ev.getFirstPropertyValue('uid'));
    byUid.set(uid, [...(byUid.get(uid) ?? []), ev.toString()]);
  }
  return [...byUid.values()].map((events) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Cutover tests//EN', ...zones, ...events, 'END:VCALENDAR', ''].join('\r\n'));
}
