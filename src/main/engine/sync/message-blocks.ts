/**
 * Reused memory for the message bytes of a copy.
 *
 * Why: a message arrives in the TLS socket's reads (new 16 KB Buffers each) and used to be kept as
 * views of them until stored. Kept ~50–100 ms, those reads outlived a few young-generation
 * collections, so only full collections freed them, and V8 starts a full collection for every
 * few MB of such outside memory: ~90 full collections on a 10,000-message copy, as much CPU on the
 * collector's threads as the copy itself used. Copied instead into blocks taken from a pool and
 * given back once the batch is stored, the reads die young (freed by the cheap collections), the
 * blocks are never freed at all, and memory stays flat with no collection asked for.
 *
 * A batch's literals fill its blocks one after another as their bytes arrive (a message may span
 * blocks; its bytes are then views of two or more), so a batch wastes at most the rest of its last
 * block, and a server that announces more than it sends takes no memory for it.
 */
import { collectSoon } from './collect-soon.js';

export const BLOCK_BYTES = 256 * 1024;

/**
 * Blocks dropped (not kept for reuse) before a collection is asked for (see collect-soon.ts).
 * Every byte of it is RSS until that collection: at 32 MB a 10,000-message copy peaked 20–30 MB
 * higher in some runs (dead blocks of two or three large messages waiting), so one large message
 * is enough. A full collection of a heap this small costs a few ms, and only large messages pay it.
 */
export const COLLECT_AFTER_DROPPED_BYTES = 4 * 1024 * 1024;

export class BlockPool {
  private readonly free: Buffer[] = [];
  /** Blocks made so far (for tests and measurements). */
  made = 0;

  private dropped = 0;

  /**
   * `keepBytes`: how much the pool keeps for reuse; blocks given back beyond it (those of a message
   * larger than that) are dropped, and every `COLLECT_AFTER_DROPPED_BYTES` of them `collect` is
   * called so that they are freed soon rather than after V8's own, much later, collection.
   */
  constructor(
    private readonly keepBytes: number,
    readonly blockBytes = BLOCK_BYTES,
    private readonly collect: () => void = collectSoon,
  ) {}

  get(): Buffer {
    const reused = this.free.pop();
    if (reused) return reused;
    this.made++;
    return Buffer.allocUnsafeSlow(this.blockBytes);
  }

  /** Takes blocks back: kept for reuse up to what the pool keeps, the rest dropped (see `keepBytes`). */
  put(blocks: readonly Buffer[]): void {
    for (const block of blocks) {
      if ((this.free.length + 1) * this.blockBytes <= this.keepBytes) this.free.push(block);
      else this.dropped += block.length;
    }
    // Asked for after the whole batch is back, so the collection finds all of it dead.
    if (this.dropped >= COLLECT_AFTER_DROPPED_BYTES) {
      this.dropped = 0;
      this.collect();
    }
  }

  /** Blocks waiting for reuse. */
  get idle(): number {
    return this.free.length;
  }
}

/** The blocks of one batch: room for its literals, all given back at once when the batch is done. */
export class BatchBlocks {
  private readonly blocks: Buffer[] = [];
  private used = 0;
  private released = false;

  constructor(private readonly pool: BlockPool) {}

  /**
   * Room for up to `max` more bytes (at least one, `max` ≥ 1): the rest of the current block, or a
   * new one. Taken as bytes arrive, so a batch holds only blocks that bytes are in.
   */
  readonly room = (max: number): Buffer => {
    if (this.released) throw new Error('blocks asked for after the batch gave them back');
    let block = this.blocks[this.blocks.length - 1];
    if (!block || this.used === block.length) {
      block = this.pool.get();
      this.blocks.push(block);
      this.used = 0;
    }
    const n = Math.max(1, Math.min(max, block.length - this.used));
    const view = block.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  };

  /** Gives every block back to the pool. Only once nothing reads the views any more (the batch is stored or dropped). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.pool.put(this.blocks.splice(0));
  }
}
