import type { CutoverErrorData } from '../../shared/errors.js';
import type { MessageRef } from '../../shared/sync-types.js';
import { dateTime, size } from '../words/numbers.js';

/**
 * A failed flag update is listed with the refusals, but the message itself is in the new mailbox.
 * The engine gives a refusal only as the server's text (no code), so this is told by its prefix.
 */
export function isFlagsOnly(ref: MessageRef): boolean {
  return ref.reason.startsWith('flags not updated');
}

/**
 * Why the new mailbox refused a message, in the person's words. The server's own text (protocol
 * words, codes) is kept for the log: only the kind of refusal is read from it.
 */
export function refusalWords(ref: MessageRef): string {
  if (isFlagsOnly(ref)) return 'Copied, but its marks (read, flagged) could not be set';
  // A full mailbox first: "quota exceeded" is not about the message's size.
  if (/quota|mailbox (is )?full/i.test(ref.reason)) return 'The new mailbox is full';
  if (/too (large|big)|\bsize\b|\[LIMIT\]|\[TOOBIG\]|exceed/i.test(ref.reason)) return 'Larger than the new mailbox accepts';
  return 'The new mailbox refused it';
}

/** A message left out on purpose because the new mailbox does not take messages that large. */
export function tooLargeWords(ref: MessageRef): string {
  return ref.size ? `${size(ref.size)}: more than the new mailbox accepts` : 'More than the new mailbox accepts';
}

/** "Another Cutover is copying…", from the facts of a pair-busy error; null for any other problem. */
export function pairBusyText(error: CutoverErrorData): string | null {
  if (error.code !== 'pair-busy') return null;
  const facts = error.facts ?? {};
  if (typeof facts.pid === 'number' && typeof facts.since === 'string') {
    return `Another Cutover is already copying these two mailboxes (process ${facts.pid}, since ${dateTime(facts.since)}). Wait until it has finished, or stop it there, then try again.`;
  }
  return 'Another Cutover took over copying these two mailboxes, so this copy stopped. Nothing was copied twice.';
}
