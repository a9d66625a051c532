/**
 * Named places inside the copy where a crash is most interesting, so tests can kill a real process
 * exactly there instead of "after a while". The engine only announces them; nothing happens unless
 * a host installs a hook (the CLI does so only under test, see cli/test-crash-hook.ts).
 */
export const CRASH_POINTS = [
  /** The intent of a batch is committed; its APPEND has not been sent. */
  'after-intent',
  /** A MULTIAPPEND has been handed to the connection; its answer has not been read. */
  'during-multiappend',
  /** The target answered an APPEND/MULTIAPPEND; `done` is not committed yet. */
  'after-append',
  /** `done` is committed; the flags STORE that follows has not been sent. */
  'before-flags-store',
  /** A new source UIDVALIDITY: the new UIDs are read, the journal is not re-keyed yet. */
  'during-uidvalidity-rematch',
  /** Repair found copies gone from the target; nothing about them is recorded yet. */
  'during-repair',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Called at each point; may wait (tests that hold a run at a point), or never return (a kill). */
export type CrashHook = (point: CrashPoint) => void | Promise<void>;

export function isCrashPoint(text: string): text is CrashPoint {
  return (CRASH_POINTS as readonly string[]).includes(text);
}
