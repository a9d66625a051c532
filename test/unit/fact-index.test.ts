import { describe, expect, it } from 'vitest';
import { FactIndex } from '../../src/main/engine/compare/fact-index.js';
import { HeaderFacts } from '../../src/main/engine/imap/header-facts.js';
import type { MessageMeta } from '../../src/main/engine/imap/imap-types.js';
import { compareKey, type MatchMode } from '../../src/main/engine/mail/fingerprint.js';
import { flagsToText } from '../../src/main/engine/mail/message-flags.js';
import type { DuplicateMessage, FolderComparison, MissingMessage } from '../../src/shared/compare-types.js';

function meta(uid: number, id: string | null, extra: Partial<MessageMeta> = {}): MessageMeta {
  return { uid, size: 1000, internalDate: null, flags: new Set(), messageId: id === null ? null : `<${id}@example.org>`, subject: `Subject ${id ?? uid}`, from: 'a@example.org', date: '2021-06-01T08:00:00.000Z', ...extra };
}

/**
 * The comparison as it was done in memory before the index (compare-mailboxes.ts's compareFolder
 * until the index replaced it, unchanged): the index must give exactly the same answer.
 */
function compareInMemory(source: string, target: string, src: MessageMeta[], dst: MessageMeta[], mode: MatchMode): FolderComparison {
  const includeSize = mode === 'exact';
  const pool = new Map<string, MessageMeta[]>();
  for (const t of dst) {
    const key = compareKey(t, includeSize);
    const list = pool.get(key);
    if (list) list.push(t);
    else pool.set(key, [t]);
  }
  const sourceCount = new Map<string, { count: number; first: MessageMeta }>();
  const missing: MissingMessage[] = [];
  let flagMismatches = 0;
  for (const s of src) {
    const key = compareKey(s, includeSize);
    const seen = sourceCount.get(key);
    if (seen) seen.count++;
    else sourceCount.set(key, { count: 1, first: s });
    const match = pool.get(key)?.shift();
    if (!match) {
      missing.push({ uid: s.uid, messageId: s.messageId, subject: s.subject, date: s.date, from: s.from, size: s.size });
      continue;
    }
    if (comparableFlags(s.flags, mode) !== comparableFlags(match.flags, mode)) flagMismatches++;
  }
  const duplicates: DuplicateMessage[] = [];
  let extraOnTarget = 0;
  for (const [key, left] of pool) {
    if (left.length === 0) continue;
    const from = sourceCount.get(key);
    if (!from) {
      extraOnTarget += left.length;
      continue;
    }
    duplicates.push({ messageId: from.first.messageId, subject: from.first.subject, date: from.first.date, copies: left.length });
  }
  return {
    source,
    target,
    leftOut: false,
    sourceCount: src.length,
    targetCount: dst.length,
    sourceBytes: src.reduce((n, m) => n + m.size, 0),
    targetBytes: dst.reduce((n, m) => n + m.size, 0),
    missing,
    duplicates,
    extraOnTarget,
    flagMismatches,
  };
}

const SYSTEM_FLAGS = new Set(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft']);

function comparableFlags(flags: Set<string>, mode: MatchMode): string {
  const list = [...flags].filter((f) => mode === 'exact' || SYSTEM_FLAGS.has(f.toLowerCase()));
  return flagsToText(list.filter((f) => f.toLowerCase() !== '$mdnsent'));
}

describe('the comparison index (compare/fact-index.ts)', () => {
  it('finds what is missing, duplicated, extra and flagged differently, in UID order', () => {
    const index = new FactIndex('exact');
    try {
      index.add('source', [meta(1, 'a', { flags: new Set(['\\Seen']) }), meta(2, 'b'), meta(3, 'b'), meta(4, 'c', { size: 7777 }), meta(5, null, { subject: 'no id' })]);
      // Pages in any order and split anywhere: the index orders by UID.
      index.add('target', [meta(13, 'b'), meta(14, 'x'), meta(15, 'a')]);
      index.add('target', [meta(10, 'b'), meta(11, 'a'), meta(12, 'b'), meta(16, 'c')]);
      const f = index.compare('INBOX', 'INBOX');
      expect(f).toMatchObject({ source: 'INBOX', target: 'INBOX', leftOut: false, sourceCount: 5, targetCount: 7, sourceBytes: 4000 + 7777, targetBytes: 7000 });
      // c differs in size (exact mode): missing, and the target's c is not from the source.
      expect(f.missing.map((m) => [m.uid, m.messageId, m.subject, m.size])).toEqual([
        [4, '<c@example.org>', 'Subject c', 7777],
        [5, null, 'no id', 1000],
      ]);
      // In the order the target first has them: b (UID 10) before a (UID 11).
      expect(f.duplicates).toEqual([
        { messageId: '<b@example.org>', subject: 'Subject b', date: '2021-06-01T08:00:00.000Z', copies: 1 },
        { messageId: '<a@example.org>', subject: 'Subject a', date: '2021-06-01T08:00:00.000Z', copies: 1 },
      ]);
      expect(f.extraOnTarget).toBe(2);
      // a (UID 1, \Seen) matches a (UID 11, no flags).
      expect(f.flagMismatches).toBe(1);

      // The next folder starts empty.
      index.add('source', [meta(1, 'z')]);
      expect(index.compare('Archive', 'Archive')).toMatchObject({ sourceCount: 1, targetCount: 0, duplicates: [], extraOnTarget: 0, missing: [{ uid: 1, messageId: '<z@example.org>' }] });
      expect(index.compare('Empty', 'Empty')).toMatchObject({ sourceCount: 0, targetCount: 0, sourceBytes: 0, missing: [], duplicates: [] });
    } finally {
      index.close();
    }
  });

  it('against a target that re-encodes, ignores sizes and keywords', () => {
    const index = new FactIndex('reencoding');
    try {
      index.add('source', [meta(1, 'a', { size: 10, flags: new Set(['\\Seen', 'Work', '$MDNSent']) })]);
      index.add('target', [meta(7, 'a', { size: 99, flags: new Set(['\\Seen']) })]);
      expect(index.compare('INBOX', 'Posteingang')).toMatchObject({ missing: [], duplicates: [], extraOnTarget: 0, flagMismatches: 0 });
    } finally {
      index.close();
    }
  });

  it('counts a message answered twice once, and decodes only what it reports', () => {
    const index = new FactIndex('exact');
    try {
      const header = (id: string): Buffer => Buffer.from(`Message-ID: <${id}@example.org>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nFrom: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\r\nDate: Tue, 1 Jun 2021 10:00:00 +0200\r\n`);
      const first = new HeaderFacts(3, 500, new Set(), header('g'));
      index.add('source', [first, new HeaderFacts(3, 500, new Set(['\\Seen']), header('g'))]);
      const f = index.compare('INBOX', 'INBOX');
      expect(f.sourceCount).toBe(1);
      expect(f.missing).toEqual([{ uid: 3, messageId: '<g@example.org>', subject: 'Grüße', from: 'j@example.org', date: '2021-06-01T08:00:00.000Z', size: 500 }]);
    } finally {
      index.close();
    }
  });

  it('gives the same answer as matching in memory did, for mailboxes made at random', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const flagPool = ['\\Seen', '\\SEEN', 'Work', 'work', '$MDNSent', '\\Flagged', '\\Recent'];
    const subjects = ['=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=', 'plain', '', 'x  y'];
    // Four header lines as a server sends them: some without Message-ID or Date, encoded words.
    const message = (uid: number): HeaderFacts => {
      const id = random(5);
      const header = `${id ? `Message-ID: <m${id}@example.org>\r\n` : ''}Subject: ${subjects[random(subjects.length)]}\r\nFrom: =?UTF-8?Q?J=C3=BCrgen?= <j${random(2)}@example.org>\r\n${random(3) ? 'Date: Tue, 1 Jun 2021 10:00:00 +0200\r\n' : ''}`;
      const flags = new Set<string>();
      for (let i = random(3); i > 0; i--) flags.add(flagPool[random(flagPool.length)]!);
      return new HeaderFacts(uid, 100 + random(2), flags, Buffer.from(header));
    };
    // UIDs rising with gaps, as a server lists them.
    const side = (count: number): HeaderFacts[] => {
      let uid = 0;
      return Array.from({ length: count }, () => message((uid += 1 + random(3))));
    };
    // Pages in any order: the index orders by UID.
    const pages = <T>(list: T[], size: number): T[][] => {
      const out: T[][] = [];
      for (let at = 0; at < list.length; at += size) out.push(list.slice(at, at + size));
      return out.reverse();
    };
    for (const mode of ['exact', 'reencoding'] as const) {
      for (let round = 0; round < 150; round++) {
        const src = side(random(30));
        const dst = side(random(30));
        const index = new FactIndex(mode);
        try {
          for (const page of pages(src, 4)) index.add('source', page);
          for (const page of pages(dst, 3)) index.add('target', page);
          expect(index.compare('F', 'G')).toEqual(compareInMemory('F', 'G', src, dst, mode));
        } finally {
          index.close();
        }
      }
    }
  });
});
