import { describe, expect, it } from 'vitest';
import { FactIndex } from '../../src/main/engine/compare/fact-index.js';
import { HeaderFacts } from '../../src/main/engine/imap/header-facts.js';
import type { MessageMeta } from '../../src/main/engine/imap/imap-types.js';
import { compareKey, type MatchMode } from '../../src/main/engine/mail/fingerprint.js';

function meta(uid: number, id: string | null, extra: Partial<MessageMeta> = {}): MessageMeta {
  return { uid, size: 1000, internalDate: null, flags: new Set(), messageId: id === null ? null : `<${id}@example.org>`, subject: `Subject ${id ?? uid}`, from: 'a@example.org', date: '2021-06-01T08:00:00.000Z', ...extra };
}

/**
 * The comparison as it was done in memory before the index (one list per side): the n-th source
 * message with a key matches the n-th target message with it. The index must give the same answer.
 */
function inMemory(src: MessageMeta[], dst: MessageMeta[], mode: MatchMode): { missing: number[]; duplicates: [string | null, number][]; extra: number; flagMismatches: number } {
  const includeSize = mode === 'exact';
  const flagsOf = (m: MessageMeta): string =>
    [...m.flags]
      .filter((f) => mode === 'exact' || ['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft'].includes(f.toLowerCase()))
      .filter((f) => f.toLowerCase() !== '$mdnsent')
      .map((f) => f.toLowerCase())
      .sort()
      .join(' ');
  const pool = new Map<string, MessageMeta[]>();
  for (const t of dst) pool.set(compareKey(t, includeSize), [...(pool.get(compareKey(t, includeSize)) ?? []), t]);
  const counted = new Map<string, { n: number; first: MessageMeta }>();
  const missing: number[] = [];
  let flagMismatches = 0;
  for (const s of src) {
    const key = compareKey(s, includeSize);
    const seen = counted.get(key);
    if (seen) seen.n++;
    else counted.set(key, { n: 1, first: s });
    const match = pool.get(key)?.shift();
    if (!match) missing.push(s.uid);
    else if (flagsOf(s) !== flagsOf(match)) flagMismatches++;
  }
  const duplicates: [string | null, number][] = [];
  let extra = 0;
  for (const [key, left] of pool) {
    if (left.length === 0) continue;
    const from = counted.get(key);
    if (from) duplicates.push([from.first.messageId, left.length]);
    else extra += left.length;
  }
  return { missing, duplicates, extra, flagMismatches };
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

  it('gives the same answer as matching in memory, for mailboxes made at random', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const mode of ['exact', 'reencoding'] as const) {
      for (let round = 0; round < 40; round++) {
        // UIDs rising with gaps, as a server lists them.
        const side = (count: number, from: number): MessageMeta[] => {
          let uid = from;
          return Array.from({ length: count }, () => {
            const id = random(6);
            uid += 1 + random(3);
            return meta(uid, id === 0 ? null : `m${id}`, { size: 100 + random(2), flags: new Set(random(2) ? ['\\Seen'] : ['Work']), subject: `s${random(2)}` });
          });
        };
        const src = side(random(25), 1);
        const dst = side(random(25), 1);
        const index = new FactIndex(mode);
        try {
          for (let at = 0; at < src.length; at += 4) index.add('source', src.slice(at, at + 4));
          for (let at = 0; at < dst.length; at += 3) index.add('target', dst.slice(at, at + 3));
          const f = index.compare('F', 'F');
          const want = inMemory(src, dst, mode);
          expect({ missing: f.missing.map((m) => m.uid), duplicates: f.duplicates.map((d) => [d.messageId, d.copies]), extra: f.extraOnTarget, flagMismatches: f.flagMismatches }).toEqual(want);
          expect([f.sourceCount, f.targetCount]).toEqual([src.length, dst.length]);
        } finally {
          index.close();
        }
      }
    }
  });
});
