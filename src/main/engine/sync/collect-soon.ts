import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Asks V8 for a full collection, run concurrently with the copy.
 *
 * Why: message bytes live in reused blocks (message-blocks.ts), except a message larger than the
 * pool keeps, whose extra blocks are dropped once it is stored. Dropped, they wait for V8's own
 * full collection, which it starts only after ~64 MB more outside memory: a few 30 MB messages
 * stored close together kept up to ~60 MB of dead blocks, 169 MB RSS at 50,000 messages. So the
 * pool asks for a collection after dropping enough (rare: large messages only, a few dozen in
 * 50,000). Not `gc()` without options: that is V8's "all available garbage", which also throws
 * away compiled code and made a copy 30 % slower.
 */
type Collect = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

let collect: Collect | null | undefined;

export function collectSoon(): void {
  collector()?.({ type: 'major', execution: 'async' });
}

function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    // Started with --expose-gc (engine-process.ts): gc is there. Otherwise (tests, `node main.js`)
    // the documented way to reach it without the flag.
    let gc: unknown = (globalThis as { gc?: unknown }).gc;
    if (typeof gc !== 'function') {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc');
    }
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collect = null;
  }
  return collect;
}
