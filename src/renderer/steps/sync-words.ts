import type { CutoverErrorData } from '../../shared/errors.js';

/** A copy's error in this page's words (the engine gives the code and the facts). */
export function copyErrorText(error: CutoverErrorData): string {
  const facts = error.facts ?? {};
  if (error.code === 'pair-busy' && typeof facts.pid === 'number' && typeof facts.since === 'string') {
    return `Another Cutover is already copying these two mailboxes (process ${facts.pid}, since ${new Date(facts.since).toLocaleString()}). Wait until it has finished, or stop it there, then try again.`;
  }
  if (error.code === 'pair-busy') return 'Another Cutover took over copying these two mailboxes, so this copy stopped. Nothing was copied twice.';
  return error.message;
}
