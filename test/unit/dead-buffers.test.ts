import { describe, expect, it } from 'vitest';
import { droppedMessageBytes } from '../../src/main/engine/sync/dead-buffers.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const MB = 1024 * 1024;

describe('memory of stored messages is given back soon', () => {
  it('after enough dropped bytes, the Buffers nobody holds any more are freed', async () => {
    const before = process.memoryUsage().arrayBuffers;
    let held: Buffer[] | null = Array.from({ length: 24 }, () => Buffer.alloc(MB, 1));
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(22 * MB);
    held = null;
    // 24 MB of dead Buffers is below V8's own threshold for outside memory: without the call they stay.
    droppedMessageBytes(16 * MB);
    await tick();
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(22 * MB);
    droppedMessageBytes(16 * MB);
    // The collection runs concurrently: give it up to two seconds.
    for (let i = 0; i < 100 && process.memoryUsage().arrayBuffers - before >= 8 * MB; i++) await tick();
    expect(held).toBeNull();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * MB);
  });
});
