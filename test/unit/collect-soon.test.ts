import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectSoon } from '../../src/main/engine/sync/collect-soon.js';
import { BatchBlocks, BlockPool, COLLECT_AFTER_DROPPED_BYTES } from '../../src/main/engine/sync/message-blocks.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const MB = 1024 * 1024;

describe('the blocks of a large message are given back soon', () => {
  it('the pool asks for a collection after dropping enough blocks it does not keep, and only then', () => {
    let asked = 0;
    const pool = new BlockPool(4 * MB, MB, () => asked++);
    const batch = new BatchBlocks(pool);
    // A 40 MB message: 4 blocks are kept, 36 dropped.
    for (let i = 0; i < 40; i++) batch.room(MB);
    batch.release();
    expect(pool.idle).toBe(4);
    // Once, after the whole message is back (not once per 4 MB, some of it still held).
    expect(asked).toBe(1);
    // Batches within what the pool keeps never ask.
    const small = new BatchBlocks(pool);
    for (let i = 0; i < 4; i++) small.room(MB);
    small.release();
    expect(asked).toBe(1);
    // Drops smaller than the threshold add up until they reach it.
    const over = Math.ceil(COLLECT_AFTER_DROPPED_BYTES / MB);
    for (let k = 1; k <= over; k++) {
      const a = new BatchBlocks(pool);
      const b = new BatchBlocks(pool);
      for (let i = 0; i < 4; i++) a.room(MB);
      b.room(MB);
      a.release();
      b.release();
      expect(asked).toBe(k === over ? 2 : 1);
    }
  });

  it('and the collection asked for frees Buffers that only a full collection frees', async () => {
    // Followed through weak references, not the process's Buffer total, which other work in the
    // same test process moves up and down.
    let held: Buffer[] | null = Array.from({ length: 8 }, () => Buffer.alloc(MB, 1));
    const refs = held.map((b) => new WeakRef(b));
    // Old, like the blocks of a message that was in flight for a while: two young-generation
    // collections move them on, after which only a full collection frees them.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (o: { type: 'minor' }) => void;
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    held = null;
    collectSoon();
    // The collection runs concurrently: give it up to two seconds.
    for (let i = 0; i < 100 && refs.some((r) => r.deref() !== undefined); i++) await tick();
    expect(held).toBeNull();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
