import type { CUTOVER_DAY_STEPS, WizardState } from '../../shared/app-api.js';
import type { WatchStatus } from '../../shared/watch-types.js';
import { clock } from '../words/keep-in-step.js';
import { plural } from '../words/numbers.js';
import type { StepView } from './step-status.js';

type CutoverDayStep = (typeof CUTOVER_DAY_STEPS)[number];

/**
 * The cutover day's steps in the stepper, from what the wizard remembers: the last DNS check, the
 * last test sign-in, the ticked checklist items (of `checklistTotal`, when the checklist is loaded).
 * They guide a move to Microsoft 365 only.
 */
export function cutoverDayStatuses(s: WizardState, checklistTotal: number | null, watch: WatchStatus | null = null): Record<CutoverDayStep, StepView> {
  const keep = keepInStepStatus(watch);
  if (s.target?.kind === 'imap') {
    const notNeeded: StepView = { status: 'not-needed', reason: 'Not for this new mailbox: these steps guide a move to Microsoft 365. Your new provider tells you its MX record and settings.' };
    return { 'keep-in-step': keep, 'switch-domain': notNeeded, 'sending-devices': notNeeded, 'outlook-phones': notNeeded };
  }
  const dns = s.lastDns;
  const domain: StepView = !dns
    ? { status: 'todo', reason: 'To do: point your domain’s MX record to Microsoft 365, so new mail arrives there.' }
    : dns.blocking > 0
      ? { status: 'attention', reason: `Needs you: ${plural(dns.blocking, 'problem', 'problems')} with the DNS records of ${dns.domain}.` }
      : dns.state === 'switched'
        ? { status: 'done', reason: `Done: mail for ${dns.domain} goes to Microsoft 365.` }
        : dns.state === 'mixed'
          ? { status: 'todo', reason: `Switching: ${dns.switched} of ${dns.answered} DNS servers show Microsoft 365 at the last check.` }
          : { status: 'todo', reason: `To do: the MX record of ${dns.domain} still points to the old server at the last check.` };
  const smtp = s.lastSmtp;
  const devices: StepView = !smtp
    ? { status: 'todo', reason: 'To do, if printers, scanners or apps send mail: their settings, and a test sign-in.' }
    : smtp.ok
      ? { status: 'done', reason: `Done: the test sign-in for ${smtp.user} worked.` }
      : { status: 'attention', reason: `Needs you: the test sign-in for ${smtp.user} was refused.` };
  const ticked = new Set(s.checklistDone).size;
  const phones: StepView =
    checklistTotal !== null && checklistTotal > 0 && ticked >= checklistTotal
      ? { status: 'done', reason: 'Done: every device is set up.' }
      : { status: 'todo', reason: ticked === 0 ? 'To do: add the new account to Outlook and phones, and remove the old one.' : `To do: ${ticked}${checklistTotal ? ` of ${checklistTotal}` : ''} ticked so far.` };
  return { 'keep-in-step': keep, 'switch-domain': domain, 'sending-devices': devices, 'outlook-phones': phones };
}

/** Keeping in step is done only when the old mailbox is safe to close; a failed watch needs the person. */
function keepInStepStatus(w: WatchStatus | null): StepView {
  if (!w || w.state === 'not-started') return { status: 'todo', reason: 'To do: keep the new mailbox in step until the switch has settled.' };
  if (w.safeToClose.ok) return { status: 'done', reason: 'Done: safe to close the old mailbox.' };
  if (w.state === 'failed') return { status: 'attention', reason: 'Needs you: keeping in step stopped with a problem.' };
  if (w.elsewhere || w.state === 'watching' || w.state === 'catching-up' || w.state === 'reconnecting') {
    return { status: 'todo', reason: `Keeping in step${w.lastCheckedAt ? `, last checked ${clock(w.lastCheckedAt)}` : ''}; not yet safe to close the old mailbox.` };
  }
  return { status: 'todo', reason: 'To do: keeping in step is stopped, and the old mailbox is not yet safe to close.' };
}
