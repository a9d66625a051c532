import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { DovecotInfo } from './dovecot.js';
import { openClient } from './mailbox.js';

export interface JournalRow {
  source: string;
  target: string;
  state: string;
  messageId: string | null;
  subject: string | null;
  size: number;
  targetUid: number | null;
}

/** The message journal as the state database holds it (read directly, not through the engine). */
export function journalRows(stateDir: string): JournalRow[] {
  const db = new Database(join(stateDir, 'cutover.sqlite'));
  try {
    return db
      .prepare(
        `SELECT f.source_path AS source, f.target_path AS target, m.state, m.message_id AS messageId, m.subject, m.size, m.target_uid AS targetUid
         FROM message m JOIN folder_pair f ON f.id = m.folder_id`,
      )
      .all() as JournalRow[];
  } finally {
    db.close();
  }
}

/**
 * The journal's promise at any instant, even right after a kill -9: every message on the target
 * that came from the source is known to the journal (pending or done), so a rerun never sends it
 * again blind; and every `done` with a target UID points at a message that is really there (unless
 * someone deleted it on the target, which is what repair is for: `doneIsThere: false`).
 * Messages are matched by Message-ID (or subject when there is none) and size.
 */
export async function expectJournalCoversTarget(info: DovecotInfo, user: string, stateDir: string, options: { doneIsThere: boolean } = { doneIsThere: true }): Promise<void> {
  const rows = journalRows(stateDir);
  const client = await openClient(info, user);
  try {
    for (const folder of await client.list()) {
      if (folder.flags.has('\\Noselect')) continue;
      const lock = await client.getMailboxLock(folder.path, { readOnly: true });
      try {
        const known = new Map<string, number>();
        for (const r of rows) {
          if (r.target !== folder.path || (r.state !== 'pending' && r.state !== 'done')) continue;
          const key = `${r.messageId ?? r.subject}|${r.size}`;
          known.set(key, (known.get(key) ?? 0) + 1);
        }
        const uids = new Set<number>();
        if (client.mailbox && client.mailbox.exists > 0) {
          const onTarget = new Map<string, number>();
          for await (const m of client.fetch('1:*', { uid: true, envelope: true, size: true })) {
            uids.add(m.uid);
            const key = `${m.envelope?.messageId ?? m.envelope?.subject}|${m.size}`;
            onTarget.set(key, (onTarget.get(key) ?? 0) + 1);
          }
          for (const [key, n] of onTarget) {
            const unknown = n - (known.get(key) ?? 0);
            expect(unknown, `${folder.path}: ${key} is on the target ${n}× but not in the journal`).toBeLessThanOrEqual(0);
          }
        }
        for (const r of rows) {
          if (!options.doneIsThere) break;
          if (r.target === folder.path && r.state === 'done' && r.targetUid !== null) expect(uids.has(r.targetUid), `${folder.path}: done row points at missing UID ${r.targetUid}`).toBe(true);
        }
      } finally {
        lock.release();
      }
    }
  } finally {
    await client.logout();
  }
}
