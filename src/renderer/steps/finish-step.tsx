import { Button, Link, MessageBar, MessageBarBody, Subtitle1, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { CUTOVER_DAY_STEPS, WIZARD_STEPS, type WizardStep } from '../../shared/app-api.js';
import { TITLES, type Session } from '../session.js';
import { SummaryCards } from '../parts/summary-cards.js';
import type { StepView } from '../shell/step-status.js';
import { StepForm } from '../shell/step-form.js';
import { count, dateTime } from '../words/numbers.js';

/** "A", "A and B", "A, B and C". */
function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
const CUTOVER_DAY_HINTS: Record<(typeof CUTOVER_DAY_STEPS)[number], string> = {
  'keep-in-step': 'until the switch has settled, Cutover copies what still reaches the old mailbox, and says when it is safe to close.',
  'switch-domain': 'if your address is on your own domain, point its MX record to Microsoft 365 so new mail arrives there; Cutover checks the switch.',
  'sending-devices': 'printers, scanners and apps that send mail need new settings; Cutover tests the sign-in without sending anything.',
  'outlook-phones': 'add the new account to Outlook and phones, and remove the old one without losing anything.',
};

export function FinishStep({ session, statuses }: { session: Session; statuses: Record<WizardStep, StepView> }) {
  const { lastSync, lastCompareMissing, lastCompareDuplicates, lastReportFile, target } = session.state;
  const [logPath, setLogPath] = useState<string | null>(null);
  // The copy's steps; the cutover day's steps after this one are offered below.
  const open = WIZARD_STEPS.slice(0, WIZARD_STEPS.indexOf('finish')).filter((s) => statuses[s].status !== 'done' && statuses[s].status !== 'not-needed');
  const done = open.length === 0;
  const m365 = target?.kind === 'm365';
  return (
    <StepForm
      onSubmit={() => undefined}
      footer={
        <Button onClick={() => void session.api.openLogFolder().then((r) => setLogPath(r.opened ? null : r.path), () => undefined)}>
          Open the log folder
        </Button>
      }
    >
      <MessageBar intent={done ? 'success' : 'warning'} role="status" layout="multiline">
        <MessageBarBody>{done ? 'Your mail is in the new mailbox and nothing is missing.' : `Not finished yet: ${listed(open.map((s) => `“${TITLES[s]}”`))} ${open.length === 1 ? 'needs' : 'need'} you (see below).`}</MessageBarBody>
      </MessageBar>
      <SummaryCards
        label="What happened"
        items={[
          { value: lastSync ? count(lastSync.copied) : '—', label: lastSync ? 'messages in the new mailbox' : 'messages copied: not yet' },
          { value: lastSync ? count(lastSync.failed) : '—', label: 'refused by the new mailbox' },
          { value: lastCompareMissing === null ? '—' : count(lastCompareMissing), label: lastCompareMissing === null ? 'missing: not compared yet' : 'missing in the new mailbox' },
          ...(lastCompareDuplicates ? [{ value: count(lastCompareDuplicates), label: 'extra copies in the new mailbox' }] : []),
        ]}
      />
      {lastSync && <Text>Last copy: {dateTime(lastSync.at)}.</Text>}
      {open.length > 0 && (
        <div>
          <Subtitle1 as="h2">Still to do</Subtitle1>
          <ul aria-label="Steps not finished">
            {open.map((s) => (
              <li key={s}>
                <Link as="button" onClick={() => session.go(s)}>
                  {TITLES[s]}
                </Link>
                : {statuses[s].reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {lastReportFile && <p>The comparison is saved as {lastReportFile}.</p>}
      <div>
        <Subtitle1 as="h2">What is left after Cutover</Subtitle1>
        <ul>
          {m365 ? (
            <>
              {CUTOVER_DAY_STEPS.map((s) => (
                <li key={s}>
                  <Link as="button" onClick={() => session.go(s)}>
                    {TITLES[s]}
                  </Link>
                  : {CUTOVER_DAY_HINTS[s]}
                </li>
              ))}
            </>
          ) : (
            <>
              <li>If your address is on your own domain: point the domain’s MX record to your new provider, so new mail arrives there: your DNS provider changes it, and your new provider tells you the value.</li>
              <li>Add the new mailbox to the mail program on your computer and phone.</li>
            </>
          )}
          <li>Keep the old mailbox for a few days and copy again: mail that still arrives there is picked up, and nothing is copied twice.</li>
        </ul>
      </div>
      {logPath && <p>The log is in {logPath} on the computer running Cutover.</p>}
    </StepForm>
  );
}
