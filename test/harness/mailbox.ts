import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { TEST_PASSWORD, type DovecotInfo } from './dovecot.js';

/** A direct imapflow client for seeding and for independent checks (never the engine's code). */
export async function openClient(info: DovecotInfo, user: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: info.imapsPort,
    secure: true,
    tls: { rejectUnauthorized: false },
    auth: { user, pass: TEST_PASSWORD },
    logger: false,
    disableAutoIdle: true,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export interface SeedMessage {
  folder: string;
  raw: Buffer | string;
  flags?: string[];
  date?: Date;
}

export async function seed(info: DovecotInfo, user: string, folders: string[], messages: SeedMessage[]): Promise<void> {
  const client = await openClient(info, user);
  try {
    for (const folder of folders) await explain(`CREATE ${folder}`, () => client.mailboxCreate(folder.split('/')));
    for (const m of messages) {
      const raw = typeof m.raw === 'string' ? Buffer.from(m.raw, 'utf8') : m.raw;
      await explain(`APPEND to ${m.folder}`, () => client.append(m.folder, raw, m.flags ?? [], m.date ?? new Date('2021-05-06T07:08:09Z')));
    }
  } finally {
    await client.logout();
  }
}

/** imapflow's "Command failed" says nothing; the server's response line says why. */
export async function explain<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    const e = err as { response?: string; message?: string };
    throw new Error(`${what}: ${e.response ?? e.message}`, { cause: err });
  }
}

export interface StoredMessage {
  uid: number;
  body: Buffer;
  /** BINARY[] where the server offers it: the only view that shows NUL bytes. */
  binary: Buffer | null;
  flags: string[];
  internalDate: string;
  sha: string;
}

/** Every message of every folder, read independently of the engine. */
export async function snapshot(info: DovecotInfo, user: string): Promise<Map<string, StoredMessage[]>> {
  const client = await openClient(info, user);
  const out = new Map<string, StoredMessage[]>();
  try {
    for (const folder of await client.list()) {
      if (folder.flags.has('\\Noselect')) continue;
      const lock = await client.getMailboxLock(folder.path, { readOnly: true });
      try {
        const list: StoredMessage[] = [];
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const m of client.fetch('1:*', { uid: true, source: true, flags: true, internalDate: true })) {
            const body = m.source ?? Buffer.alloc(0);
            list.push({
              uid: m.uid,
              body,
              binary: null,
              flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
              internalDate: new Date(m.internalDate ?? 0).toISOString(),
              sha: createHash('sha256').update(body).digest('hex'),
            });
          }
          for (const item of list) {
            if (!item.body.includes(0x80)) continue;
            try {
              const b = await client.fetchOne(String(item.uid), { source: true }, { uid: true, binary: true });
              item.binary = b && b.source ? b.source : null;
            } catch {
              item.binary = null;
            }
          }
        }
        out.set(folder.path, list);
      } finally {
        lock.release();
      }
    }
  } finally {
    await client.logout();
  }
  return out;
}

/** A compact, order-independent view for equality checks: folder → sorted list of body hashes+flags. */
export function digest(view: Map<string, StoredMessage[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [folder, list] of view) out[folder] = list.map((m) => `${m.sha} ${m.internalDate} ${m.flags.join(',')}`).sort();
  return out;
}

export function simpleMessage(n: number, extra: Partial<{ messageId: string | null; subject: string; body: string; headers: string }> = {}): string {
  const messageId = extra.messageId === undefined ? `<msg-${n}@cutover.test>` : extra.messageId;
  return [
    `From: Sender ${n} <sender${n}@example.org>`,
    'To: someone@example.org',
    `Subject: ${extra.subject ?? `Message number ${n}`}`,
    'Date: Tue, 04 Mar 2025 09:00:00 +0100',
    ...(messageId ? [`Message-ID: ${messageId}`] : []),
    ...(extra.headers ? [extra.headers] : []),
    '',
    extra.body ?? `Body of message ${n}.`,
    '',
  ].join('\r\n');
}

/** How many messages a folder holds now (STATUS: cheap enough to poll while a copy runs). */
export async function messageCount(info: DovecotInfo, user: string, folder = 'INBOX'): Promise<number> {
  const client = await openClient(info, user);
  try {
    const status = await client.status(folder, { messages: true });
    return status ? (status.messages ?? 0) : 0;
  } catch {
    return 0;
  } finally {
    await client.logout();
  }
}

/** Recreates a folder with the same name and messages: new UIDVALIDITY, new UIDs (as some servers do after a repair). */
export async function recreateFolder(info: DovecotInfo, user: string, folder: string): Promise<void> {
  const client = await openClient(info, user);
  try {
    await client.mailboxCreate('Tmp');
    await client.mailboxOpen(folder);
    await client.messageCopy('1:*', 'Tmp');
    await client.mailboxClose();
    await client.mailboxDelete(folder);
    await client.mailboxRename('Tmp', folder);
  } finally {
    await client.logout();
  }
}

/** Delivers a message the way mail reaches the old server: Dovecot's own delivery tool, not IMAP. */
export function deliver(info: DovecotInfo, user: string, folder: string, raw: string): void {
  execFileSync('doveadm', ['-c', join(info.dir, 'dovecot.conf'), 'save', '-u', user, '-m', folder], { input: raw });
}
