import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { droppedMessageBytes } from '../../src/main/engine/sync/dead-buffers.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const MB = 1024 * 1024;

describe('memory of stored messages is given back soon', () => {
  it('after enough dropped bytes, the Buffers nobody holds any more are freed', async () => {
    // Followed through weak references, not the process's Buffer total, which other work in the
    // same test process moves up and down.
    let held: Buffer[] | null = Array.from({ length: 8 }, () => Buffer.alloc(MB, 1));
    const refs = held.map((b) => new WeakRef(b));
    // Old, like the Buffers of a batch that was in flight for a while: two young-generation
    // collections move them on, after which only a full collection frees them.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (o: { type: 'minor' }) => void;
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    held = null;
    droppedMessageBytes(16 * MB);
    droppedMessageBytes(16 * MB);
    // The collection runs concurrently: give it up to two seconds.
    for (let i = 0; i < 100 && refs.some((r) => r.deref() !== undefined); i++) await tick();
    expect(held).toBeNull();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
