import { isCrashPoint, type CrashHook } from '../engine/service/for-hosts.js';

/**
 * For tests only: `CUTOVER_TEST_CRASH_AT=POINT[:HIT]` (with NODE_ENV=test, as vitest sets it) kills
 * this very process with SIGKILL the HIT-th time (default 1) the engine reaches the named crash
 * point (engine/sync/crash-points.ts). A kill -9 at an exact place, with no timing involved. Outside
 * tests nothing is installed, whatever the environment says.
 */
export function testCrashHook(env: NodeJS.ProcessEnv = process.env): CrashHook | undefined {
  const spec = env.CUTOVER_TEST_CRASH_AT;
  if (!spec || env.NODE_ENV !== 'test') return undefined;
  const [point, hitText] = spec.split(':');
  const hit = hitText === undefined ? 1 : Number(hitText);
  if (!point || !isCrashPoint(point) || !Number.isInteger(hit) || hit < 1) throw new Error(`CUTOVER_TEST_CRASH_AT: unknown crash point "${spec}"`);
  let seen = 0;
  return (reached) => {
    if (reached !== point || ++seen < hit) return;
    process.kill(process.pid, 'SIGKILL');
  };
}
