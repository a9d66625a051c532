import type { WizardState, WizardStep } from '../../shared/app-api.js';
import type { WatchStatus } from '../../shared/watch-types.js';
import { cutoverDayStatuses } from './cutover-day-status.js';

export type StepStatus = 'done' | 'attention' | 'blocked' | 'todo' | 'not-needed';

/** What the stepper knows: the saved wizard state plus what only this session knows (passwords, tests, sign-in, the check). */
export interface StepFacts {
  state: WizardState;
  sourcePassword: boolean;
  targetPassword: boolean;
  sourceVerified: boolean;
  targetVerified: boolean;
  signedIn: boolean;
  check: { blocking: number } | null;
  /** The last copy in this session was paused (the saved state does not say). */
  copyPaused: boolean;
  /** How many items the Outlook and phones checklist has (null until it is loaded). */
  checklistTotal?: number | null;
  /** The pair's watch (keep in step), as last read from the engine; null until read. */
  watch?: WatchStatus | null;
}

export interface StepView {
  status: StepStatus;
  /** Shown on hover and focus, and read by screen readers: why the step is in this state. */
  reason: string;
}

const PASSWORD_AGAIN = 'Enter the password again: Cutover never stores passwords.';

function sourceReady(f: StepFacts): StepView | null {
  if (f.sourceVerified) return null;
  if (f.state.source && !f.sourcePassword) return { status: 'blocked', reason: `Not yet possible: the old mailbox needs its password again (Cutover never stores passwords).` };
  return { status: 'blocked', reason: 'Not yet possible: connect to the old mailbox first.' };
}

function targetReady(f: StepFacts): StepView | null {
  const t = f.state.target;
  if (t?.kind === 'm365') return f.signedIn ? null : { status: 'blocked', reason: 'Not yet possible: sign in to Microsoft 365 first.' };
  if (t?.kind === 'imap' && f.targetVerified) return null;
  if (t?.kind === 'imap' && !f.targetPassword) return { status: 'blocked', reason: 'Not yet possible: the new mailbox needs its password again (Cutover never stores passwords).' };
  return { status: 'blocked', reason: 'Not yet possible: choose and connect the new mailbox first.' };
}

/** Both mailboxes usable in this session, or why not. */
function bothReady(f: StepFacts): StepView | null {
  return sourceReady(f) ?? targetReady(f);
}

/**
 * Each step's status for the stepper: done, needs attention, not yet possible (with the reason), not
 * needed for this new mailbox, or still to do.
 */
export function stepStatuses(f: StepFacts): Record<WizardStep, StepView> {
  const s = f.state;
  const completed = (step: WizardStep): boolean => s.completed.includes(step);
  const m365 = s.target?.kind === 'm365';
  const old: StepView = f.sourceVerified
    ? { status: 'done', reason: 'Done: Cutover can read the old mailbox.' }
    : s.source && !f.sourcePassword && completed('old-mailbox')
      ? { status: 'attention', reason: PASSWORD_AGAIN }
      : { status: 'todo', reason: 'To do: the address and password of the mailbox you are leaving.' };
  const target: StepView = targetReady(f) === null
    ? { status: 'done', reason: m365 ? 'Done: signed in to Microsoft 365.' : 'Done: Cutover can reach the new mailbox.' }
    : s.target?.kind === 'imap' && !f.targetPassword && completed('microsoft-365')
      ? { status: 'attention', reason: PASSWORD_AGAIN }
      : m365 && completed('microsoft-365')
        ? { status: 'attention', reason: 'Sign in to Microsoft 365 again.' }
        : { status: 'todo', reason: 'To do: choose where your mail goes and sign in.' };
  const check: StepView =
    bothReady(f) ??
    (f.check && f.check.blocking > 0
      ? { status: 'attention', reason: `Needs you: ${f.check.blocking === 1 ? '1 problem' : `${f.check.blocking} problems`} to fix before copying.` }
      : f.check || completed('check')
        ? { status: 'done', reason: 'Done: nothing blocks the copy.' }
        : { status: 'todo', reason: 'To do: Cutover looks at both mailboxes before copying.' });
  const folders: StepView = bothReady(f) ?? (completed('folders') ? { status: 'done', reason: 'Done: the folders are chosen.' } : { status: 'todo', reason: 'To do: choose which folders to copy and where they go.' });
  const last = s.lastSync;
  const copy: StepView =
    bothReady(f) ??
    (f.copyPaused
      ? { status: 'attention', reason: 'Needs you: the copy is paused; resume it to copy the rest.' }
      : last && last.failed > 0
      ? { status: 'attention', reason: `Needs you: the new mailbox refused ${last.failed === 1 ? '1 message: save it' : `${last.failed} messages: save them`} from the old mailbox, or try again.` }
      : last
        ? { status: 'done', reason: 'Done: the mail was copied.' }
        : { status: 'todo', reason: 'To do: copy your mail.' });
  const pim: StepView =
    s.target?.kind === 'imap'
      ? { status: 'not-needed', reason: 'Not for this new mailbox: Cutover copies contacts and calendars into Microsoft 365 only. Import your exported files with your new provider’s own tools.' }
      : (targetReady(f) ?? (completed('contacts-calendar') ? { status: 'done', reason: 'Done.' } : { status: 'todo', reason: 'To do (optional): copy contacts and calendars.' }));
  const compare: StepView =
    bothReady(f) ??
    (s.lastCompareMissing === null
      ? { status: 'todo', reason: 'To do: compare both mailboxes, folder by folder.' }
      : s.lastCompareMissing > 0
        ? {
            status: 'attention',
            reason: `Needs you: ${s.lastCompareMissing === 1 ? '1 message is' : `${s.lastCompareMissing} messages are`} missing in the new mailbox${last && last.failed > 0 ? ` (it refused ${last.failed === 1 ? '1 message' : `${last.failed} messages`} during the copy)` : ''}.`,
          }
        : (s.lastCompareDuplicates ?? 0) > 0
          ? { status: 'attention', reason: `Needs you: the new mailbox has ${s.lastCompareDuplicates === 1 ? '1 extra copy' : `${s.lastCompareDuplicates} extra copies`} of messages.` }
          : { status: 'done', reason: 'Done: nothing is missing and nothing is duplicated in the new mailbox.' });
  const open = [old, target, check, folders, copy, pim, compare].some((v) => v.status !== 'done' && v.status !== 'not-needed');
  const finish: StepView = open ? { status: 'todo', reason: 'What is done and what is left.' } : { status: 'done', reason: 'Done: your mail is in the new mailbox.' };
  return { 'old-mailbox': old, 'microsoft-365': target, check, folders, 'copy-mail': copy, 'contacts-calendar': pim, compare, finish, ...cutoverDayStatuses(s, f.checklistTotal ?? null, f.watch ?? null) };
}
