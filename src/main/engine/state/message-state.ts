import { CutoverError } from '../../../shared/errors.js';

/**
 * The life of one source message in the journal, as one typed state machine. Every write of a
 * message's state in sync-state.ts is checked against `ALLOWED` inside its transaction: through
 * `checkTransition`, or, where the move is allowed from every state (an intent), by nothing to
 * check, or as the write's own condition (`statesBefore`), looked up only to word a refusal.
 *
 * - pending: the intent is committed; the APPEND may or may not have happened (a killed run leaves
 *   these, and the next run resolves them by looking on the target before sending anything).
 * - done: on the target (copied, or found there).
 * - failed: the target refused it; tried again on the next run.
 * - skipped: larger than the size limit; looked at again when the limit changes.
 */
export const MESSAGE_STATES = ['pending', 'done', 'failed', 'skipped'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** `absent`: no row yet for this source message. */
export type StateOrAbsent = MessageState | 'absent';

const ALLOWED: Record<StateOrAbsent, readonly MessageState[]> = {
  absent: ['pending', 'skipped'],
  // pending → pending: a retry commits the same intent again.
  pending: ['pending', 'done', 'failed'],
  failed: ['pending', 'done', 'failed'],
  // A raised size limit makes a skipped message a candidate again (or it is found on the target).
  skipped: ['skipped', 'pending', 'done'],
  // done → pending only for repair: the copy vanished from the target and is sent again.
  // done → skipped/failed never: a message on the target stays known as on the target.
  done: ['done', 'pending'],
};

/** A message may be forgotten (its source copy vanished before it was copied) only while not done. */
const FORGETTABLE: readonly MessageState[] = ['pending', 'failed', 'skipped'];

export function isAllowed(from: StateOrAbsent, to: MessageState): boolean {
  return ALLOWED[from].includes(to);
}

/** The recorded states a message may move to `to` from (`absent` aside: that is a row to insert, not to update). */
export function statesBefore(to: MessageState): MessageState[] {
  return MESSAGE_STATES.filter((from) => isAllowed(from, to));
}

/** Moves allowed whatever the message is now, even absent (worked out once: asked per message). */
const FROM_ANYWHERE = new Set(MESSAGE_STATES.filter((to) => isAllowed('absent', to) && statesBefore(to).length === MESSAGE_STATES.length));

/** Whether a message may move to `to` whatever it is now, even absent: then there is nothing to check. */
export function allowedFromAnywhere(to: MessageState): boolean {
  return FROM_ANYWHERE.has(to);
}

/** Throws when the journal would make a move the state machine does not allow: a bug, never data. */
export function checkTransition(from: StateOrAbsent, to: MessageState, sourceUid: number): void {
  if (!isAllowed(from, to)) {
    throw new CutoverError({
      code: 'internal',
      message: `The journal refused to move message ${sourceUid} from ${from} to ${to}.`,
      retryable: false,
    });
  }
}

export function mayForget(state: MessageState): boolean {
  return FORGETTABLE.includes(state);
}
