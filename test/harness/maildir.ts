import { chownSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DovecotInfo } from './dovecot.js';

let counter = 0;

/**
 * Drops a message file straight into a user's Maildir (Maildir++ layout, '.' delimiter), bypassing
 * IMAP, so the source can hold bytes an APPEND would never produce (bare LF, raw NUL bytes).
 * The file's mtime becomes the INTERNALDATE.
 */
export function writeMaildirMessage(info: DovecotInfo, user: string, folder: string, raw: Buffer, flags = '', date = new Date('2020-02-03T04:05:06Z')): void {
  const root = join(info.homeRoot, user, 'Maildir');
  const dir = folder === 'INBOX' ? root : join(root, `.${folder}`);
  for (const d of [join(info.homeRoot, user), root, dir, join(dir, 'cur'), join(dir, 'new'), join(dir, 'tmp')]) {
    mkdirSync(d, { recursive: true });
    chownSync(d, info.uid, info.gid);
  }
  counter++;
  const file = join(dir, 'cur', `${Math.floor(date.getTime() / 1000)}.M${counter}P${process.pid}.cutovertest:2,${flags}`);
  writeFileSync(file, raw);
  chownSync(file, info.uid, info.gid);
  utimesSync(file, date, date);
}
