import { describe, expect, it } from 'vitest';
import { fetchedBody } from '../../src/main/engine/imap/wire/fetch-body.js';
import { ResponseReader, type WireResponse } from '../../src/main/engine/imap/wire/response-reader.js';
import { uidSet } from '../../src/main/engine/imap/source-reader.js';
import { bytesInclude, headerBytes, joinBytes } from '../../src/main/engine/mail/message-bytes.js';
import { BatchBlocks, BlockPool } from '../../src/main/engine/sync/message-blocks.js';

const LIMITS = { maxLineBytes: 1000, maxLiteralBytes: 1_000_000, maxLiterals: 3, maxResponseBytes: 5_000_000 };

/** Feeds `input` in pieces of `step` bytes (the last one shorter) and returns every response. */
function readAll(input: Buffer, step: number, into?: (max: number) => Buffer): WireResponse[] {
  const out: WireResponse[] = [];
  const reader = new ResponseReader(LIMITS, (r) => {
    out.push(r);
    return 'continue';
  });
  if (into) reader.literalsInto = into;
  for (let at = 0; at < input.length; at += step) reader.push(input.subarray(at, at + step));
  expect(reader.isBetweenResponses).toBe(true);
  return out;
}

const body = Buffer.from('Subject: hi\r\n\r\nline one\r\nline two with {braces} and "quotes"\r\n\x80\xff end');
const fetchLine = (uidFirst: boolean): Buffer =>
  Buffer.concat([
    Buffer.from(uidFirst ? `* 7 FETCH (UID 42 BODY[] {${body.length}}\r\n` : `* 7 FETCH (FLAGS (\\Seen $Label1) BODY[] {${body.length}}\r\n`, 'latin1'),
    body,
    Buffer.from(uidFirst ? ')\r\n' : ' UID 42)\r\n', 'latin1'),
  ]);

describe('the wire reader (imap/wire/response-reader.ts)', () => {
  it('splits responses and keeps literals exact wherever the reads happen to end', () => {
    const input = Buffer.concat([Buffer.from('* 3 EXISTS\r\n'), fetchLine(true), fetchLine(false), Buffer.from('W1 OK [APPENDUID 9 1:2] done\r\n')]);
    for (const step of [1, 2, 3, 7, 64, input.length]) {
      const responses = readAll(input, step);
      expect(responses.map((r) => r.lines[0]), `step ${step}`).toEqual(['* 3 EXISTS', '* 7 FETCH (UID 42 BODY[] ', '* 7 FETCH (FLAGS (\\Seen $Label1) BODY[] ', 'W1 OK [APPENDUID 9 1:2] done']);
      expect(joinBytes(responses[1]!.literals[0]!).equals(body)).toBe(true);
      expect(responses[2]!.lines[1]).toBe(' UID 42)');
    }
  });

  it('keeps literals as views of the reads (no copy) unless given room, then copies them there', () => {
    const input = fetchLine(true);
    const [viewed] = readAll(input, input.length);
    expect(viewed!.literals[0]![0]!.buffer).toBe(input.buffer);

    // Room is asked for as bytes arrive, at most what is needed; consecutive room is one view.
    const block = Buffer.alloc(1000);
    let used = 0;
    const asked: number[] = [];
    const [copied] = readAll(input, 5, (max) => {
      asked.push(max);
      const n = Math.min(max, 7);
      used += n;
      return block.subarray(used - n, used);
    });
    expect(Math.max(...asked)).toBeLessThanOrEqual(5);
    expect(used).toBe(body.length);
    expect(copied!.literals[0]!.length).toBe(1);
    expect(copied!.literals[0]![0]!.buffer).toBe(block.buffer);
    input.fill(0);
    expect(joinBytes(copied!.literals[0]!).equals(body)).toBe(true);

    // A literal announced but not (yet) sent takes no room at all.
    const lazy = new ResponseReader(LIMITS, () => 'continue');
    let taken = 0;
    lazy.literalsInto = (max) => {
      taken += max;
      return Buffer.alloc(max);
    };
    lazy.push(Buffer.from('* 1 FETCH (UID 1 BODY[] {999999}\r\nabc'));
    expect(taken).toBe(3);
  });

  it('reads empty and BINARY (~{n}) literals', () => {
    const [r] = readAll(Buffer.from('* 1 FETCH (UID 5 BINARY[] ~{3}\r\na\0b BODY[1] {0}\r\n)\r\n', 'latin1'), 4);
    expect(r!.lines).toEqual(['* 1 FETCH (UID 5 BINARY[] ', ' BODY[1] ', ')']);
    expect(joinBytes(r!.literals[0]!).toString('latin1')).toBe('a\0b');
    expect(r!.literals[1]).toEqual([]);
  });

  it('refuses a line, a literal or a count of literals beyond its limits', () => {
    const reader = (): ResponseReader => new ResponseReader(LIMITS, () => 'continue');
    expect(() => reader().push(Buffer.alloc(1001, 0x41))).toThrow(expect.objectContaining({ code: 'LineTooLarge' }));
    expect(() => reader().push(Buffer.from('* 1 FETCH (BODY[] {1000001}\r\n'))).toThrow(expect.objectContaining({ code: 'LiteralTooLarge' }));
    expect(() => reader().push(Buffer.from('* 1 X {0}\r\n {0}\r\n {0}\r\n {0}\r\n'))).toThrow(expect.objectContaining({ code: 'ResponseTooLarge' }));
  });

  it('stops where its consumer says and returns the rest unread', () => {
    const seen: string[] = [];
    const reader = new ResponseReader(LIMITS, (r) => {
      seen.push(r.lines[0]!);
      return r.lines[0]!.startsWith('W1 ') ? 'stop' : 'continue';
    });
    const rest = reader.push(Buffer.from('* 1 EXISTS\r\nW1 OK done\r\n* 2 EXISTS\r\n'));
    expect(seen).toEqual(['* 1 EXISTS', 'W1 OK done']);
    expect(rest?.toString()).toBe('* 2 EXISTS\r\n');
    expect(reader.isBetweenResponses).toBe(true);
  });
});

describe('a FETCH response read for its body (imap/wire/fetch-body.ts)', () => {
  const read = (text: string, literals: string[] = []): ReturnType<typeof fetchedBody> => {
    const lines = text.split('\u0000');
    return fetchedBody({ lines, literals: literals.map((l) => [Buffer.from(l, 'latin1')]) });
  };

  it('finds UID and body whatever their order and whatever else comes along', () => {
    expect(read('* 1 FETCH (UID 42 BODY[] \u0000)', ['abc'])).toEqual({ uid: 42, body: [Buffer.from('abc')] });
    expect(read('* 1 FETCH (FLAGS (\\Seen (nested) x) BODY[] \u0000 UID 43 MODSEQ (12))', ['abc'])).toEqual({ uid: 43, body: [Buffer.from('abc')] });
    expect(read('* 1 FETCH (UID 44 BODY[]<0> \u0000)', ['part'])).toEqual({ uid: 44, body: [Buffer.from('part')] });
    expect(read('* 1 FETCH (UID 45 BODY[HEADER.FIELDS (DATE FROM)] \u0000)', ['Date: x'])).toEqual({ uid: 45, body: [Buffer.from('Date: x')] });
  });

  it('reads a body sent as a quoted string, and NIL as a message that is gone', () => {
    expect(read('* 1 FETCH (UID 42 BODY[] "a \\"quoted\\" \\\\ body")')).toEqual({ uid: 42, body: [Buffer.from('a "quoted" \\ body')] });
    expect(read('* 1 FETCH (UID 42 BODY[] NIL)')).toEqual({ uid: 42, body: null });
  });

  it('is null for what is not a body FETCH: flag updates, other responses, a FETCH without UID', () => {
    expect(read('* 1 FETCH (FLAGS (\\Seen) UID 42)')).toBeNull();
    expect(read('* 3 EXISTS')).toBeNull();
    expect(read('* 1 FETCH (BODY[] \u0000)', ['abc'])).toBeNull();
  });
});

describe('UID sets', () => {
  it('writes runs as ranges, in order, without repeats', () => {
    expect(uidSet([5, 1, 2, 3, 9, 10, 12, 3])).toBe('1:3,5,9:10,12');
    expect(uidSet([7])).toBe('7');
  });
});

describe('message bytes in pieces (mail/message-bytes.ts)', () => {
  it('finds the header end across pieces and bytes in any piece', () => {
    const parts = [Buffer.from('Subject: a\r\n\r'), Buffer.from('\nbody'), Buffer.from('more')];
    expect(headerBytes(parts).toString()).toBe('Subject: a\r\n\r\nbody');
    expect(headerBytes([Buffer.alloc(10, 0x41), Buffer.alloc(10, 0x42)], 15).length).toBe(20);
    expect(bytesInclude(parts, 0x80)).toBe(false);
    expect(bytesInclude([...parts, Buffer.from([0x80])], 0x80)).toBe(true);
  });
});

describe('reused blocks for message bytes (sync/message-blocks.ts)', () => {
  it('gives a batch room block after block as bytes come, and takes the blocks back for the next batch', () => {
    const pool = new BlockPool(3 * 16, 16);
    const first = new BatchBlocks(pool);
    const a = first.room(10);
    const b = first.room(20);
    const c = first.room(20);
    expect([a.length, b.length, c.length]).toEqual([10, 6, 16]);
    expect(b.buffer).toBe(a.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + 10);
    expect(c.buffer).not.toBe(a.buffer);
    expect(pool.made).toBe(2);
    first.release();
    first.release();
    expect(pool.idle).toBe(2);
    expect(() => first.room(1)).toThrow();

    const second = new BatchBlocks(pool);
    for (let i = 0; i < 3; i++) second.room(16);
    expect(pool.made).toBe(3);
    second.release();
    // The pool keeps 3 blocks (its keepBytes); more are left to the collector.
    const big = new BatchBlocks(pool);
    for (let i = 0; i < 7; i++) big.room(16);
    big.release();
    expect(pool.idle).toBe(3);
  });
});
