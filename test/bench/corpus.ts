import { randomFillSync } from 'node:crypto';
import type { DovecotInfo } from '../harness/dovecot.js';
import { writeMaildirMessage } from '../harness/maildir.js';

/** Small deterministic PRNG (mulberry32): the same seed gives the same corpus on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FOLDERS: [string, number][] = [
  ['INBOX', 0.5],
  ['Sent', 0.2],
  ['Archive', 0.12],
  ['Archive.2023', 0.1],
  ['Lists', 0.08],
];

const WORDS = 'the mail migration keeps every message byte exact across servers while people keep working and nobody notices anything at all'.split(' ');

/**
 * Size mix of a real mailbox: mostly small text, some attachments, a few multi-MB ones and one in a
 * thousand between 10 and 30 MB (scanned contracts, photo albums). About 83 kB on average, so 10,000
 * messages are about 830 MB.
 */
export function pickSize(rand: () => number): number {
  const r = rand();
  if (r < 0.65) return 2_000 + Math.floor(rand() * 18_000);
  if (r < 0.93) return 20_000 + Math.floor(rand() * 100_000);
  if (r < 0.996) return 120_000 + Math.floor(rand() * 480_000);
  if (r < 0.999) return 2_000_000 + Math.floor(rand() * 4_000_000);
  return 10_000_000 + Math.floor(rand() * 20_000_000);
}

/**
 * Attachment bytes come from one random block, read at a message-dependent offset: incompressible
 * like real attachments, yet seeding 50,000 messages does not spend minutes in a PRNG.
 */
const BLOCK = (() => {
  const b = Buffer.alloc(4 * 1024 * 1024);
  randomFillSync(b);
  return b;
})();

function payload(bytes: number, rand: () => number): Buffer {
  const out = Buffer.alloc(bytes);
  let at = 0;
  while (at < bytes) {
    const from = Math.floor(rand() * (BLOCK.length - 65_536));
    const n = Math.min(bytes - at, BLOCK.length - from);
    BLOCK.copy(out, at, from, from + n);
    at += n;
  }
  return out;
}

function message(i: number, size: number, rand: () => number): Buffer {
  const date = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 10 * 365 * 86_400_000));
  const head =
    `From: Person ${i % 97} <person${i % 97}@example.org>\r\nTo: me@example.org\r\n` +
    `Subject: ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} #${i}\r\n` +
    `Date: ${date.toUTCString().replace('GMT', '+0000')}\r\nMessage-ID: <bench-${i}@cutover.test>\r\nMIME-Version: 1.0\r\n`;
  if (size < 20_000) {
    const lines: string[] = [];
    let n = head.length + 40;
    while (n < size) {
      const line = Array.from({ length: 12 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
      lines.push(line);
      n += line.length + 2;
    }
    return Buffer.from(`${head}Content-Type: text/plain; charset=utf-8\r\n\r\n${lines.join('\r\n')}\r\n`);
  }
  const b64 = payload(Math.floor((size * 3) / 4), rand).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `${head}Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\nContent-Type: text/plain\r\n\r\nSee attachment.\r\n` +
      `--b${i}\r\nContent-Type: application/octet-stream; name="file${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b${i}--\r\n`,
  );
}

/** Writes `count` messages straight into the user's Maildir; returns total bytes and the largest message. */
export function seedCorpus(info: DovecotInfo, user: string, count: number, seed = 42): { bytes: number; largest: number; folders: string[] } {
  const rand = prng(seed);
  let bytes = 0;
  let largest = 0;
  for (let i = 0; i < count; i++) {
    let r = rand();
    let folder = FOLDERS[0]![0];
    for (const [name, share] of FOLDERS) {
      if (r < share) {
        folder = name;
        break;
      }
      r -= share;
    }
    const raw = message(i, pickSize(rand), rand);
    bytes += raw.length;
    largest = Math.max(largest, raw.length);
    const flags = rand() < 0.7 ? 'S' : rand() < 0.5 ? 'FS' : '';
    writeMaildirMessage(info, user, folder, raw, flags, new Date(Date.UTC(2016, 0, 1) + i * 60_000));
  }
  return { bytes, largest, folders: FOLDERS.map(([f]) => f) };
}
