/**
 * How a process that runs the engine is started: the `cutover` command (its "bin" line, see
 * bundle-app.ts) and the app's engine process (app/main.ts). Both are about memory during a copy,
 * where message bytes come and go by the megabyte (README "Benchmark", measured on 10,000 messages):
 *
 * - `--max-semi-space-size=2`: V8's young generation at 2 MB per semi-space instead of 16. A copy
 *   allocates few JavaScript objects that live long; the larger default alone held ~25 MB.
 * - `--expose-gc`: the copy asks for a collection after dropping the blocks of large messages
 *   (sync/collect-soon.ts); given at start, no V8 flag has to change at run time.
 * - `MALLOC_MMAP_THRESHOLD_`: glibc serves every allocation from this size up with its own mmap,
 *   given back to the system when freed. By default the threshold grows to the largest block ever
 *   freed (a 30 MB message), after which every large buffer comes from the heap, which fragments
 *   and never shrinks: ~35 MB more at the peak, kept to the end. Other C libraries ignore it.
 */
export const ENGINE_NODE_FLAGS = ['--max-semi-space-size=2', '--expose-gc'] as const;
export const ENGINE_ENV = { MALLOC_MMAP_THRESHOLD_: String(256 * 1024) } as const;
