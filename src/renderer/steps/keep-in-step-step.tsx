import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useEffect } from 'react';
import type { WatchStatus } from '../../shared/watch-types.js';
import type { Session } from '../session.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { SummaryCards } from '../parts/summary-cards.js';
import { StepForm } from '../shell/step-form.js';
import { checkDomainName, domainOf } from '../words/field-checks.js';
import { clock, lateArrivalsWords, waitWords, watchStateWords } from '../words/keep-in-step.js';
import { count, dateTime } from '../words/numbers.js';
import { cutoverAddress } from './switch-domain-step.js';
import { useAction } from './use-action.js';

const RUNNING = new Set(['watching', 'catching-up', 'reconnecting']);

/**
 * "Keep in step": after the first copy, Cutover watches the old mailbox and copies what still
 * arrives there, until the MX switch has settled; then it says when the old mailbox is safe to close.
 * The watch belongs to the pair, not to the page: the status comes from the engine after a reload.
 */
export function KeepInStepStep({ session }: { session: Session }) {
  const action = useAction();
  const status = session.watch;
  const jobId = status?.jobId ?? null;
  // Every event of this pair's watch changes what the page shows: read the status again.
  useEffect(
    () =>
      session.api.onEvent((e) => {
        if (e.type === 'watch-event' && (jobId === null || e.jobId === jobId)) session.refreshWatch();
      }),
    [session.api, jobId],
  );
  useEffect(() => {
    session.refreshWatch();
  }, []);
  const source = session.source();
  const target = session.target();
  const running = status !== null && status.jobId !== null && RUNNING.has(status.state);
  const start = (): Promise<void> =>
    action.run(async () => {
      if (!source || !target) return;
      await session.api.startWatch({ source, target, dns: target.kind === 'm365' ? watchedDomain(session) : null });
      session.refreshWatch();
    });
  const stop = (): Promise<void> =>
    action.run(async () => {
      if (status?.jobId) await session.api.stopWatch(status.jobId);
      session.refreshWatch();
    });
  const noteSwitch = (): Promise<void> =>
    action.run(async () => {
      const pair = session.pairRef();
      if (pair) session.setWatch(await session.api.recordSwitch(pair.source, pair.target, new Date().toISOString()));
    });
  const canStart = !running && !status?.elsewhere;
  return (
    <StepForm
      onSubmit={() => void (running ? stop() : canStart && source && target ? start() : undefined)}
      footer={
        <>
          {canStart && (!source || !target) && <span className="footer-note">Enter both passwords again to start (Cutover never stores them).</span>}
          {running ? (
            <Button type="submit" appearance="primary" disabled={action.busy}>
              Stop keeping in step
            </Button>
          ) : (
            <Button type="submit" appearance="primary" disabled={action.busy || !canStart || !source || !target}>
              Start keeping in step
            </Button>
          )}
        </>
      }
    >
      <p>
        Until every DNS server shows your domain’s new MX record, some mail still reaches the old mailbox. While Cutover keeps in step, what arrives there is copied to the new mailbox
        within a minute, and Cutover keeps watching for a few days after the switch for late arrivals. Leave Cutover open while it does.
      </p>
      {!status ? <Spinner label="Looking whether Cutover keeps this pair in step…" labelPosition="after" /> : <WatchView status={status} session={session} onNoteSwitch={() => void noteSwitch()} busy={action.busy} />}
      {(!source || !target) && canStart && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>To start, Cutover needs both mailboxes with their passwords (it never stores them).</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => session.go(source ? 'microsoft-365' : 'old-mailbox')}>Enter them</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {action.problem && <ProblemNotice problem={action.problem} context={{ role: 'engine' }} session={session} here="keep-in-step" />}
    </StepForm>
  );
}

/** The domain the watch checks for the switch: the one of "Switch your domain", or the new address's. */
function watchedDomain(session: Session): { domain: string; expectMx: string | null } | null {
  const domain = (session.draft('dns.domain') ?? domainOf(cutoverAddress(session)) ?? '').trim().replace(/\.$/, '').toLowerCase();
  if (!domain || checkDomainName(domain, 'domain')) return null;
  const mx = (session.draft('dns.expectMx') ?? '').trim().replace(/\.$/, '').toLowerCase();
  return { domain, expectMx: mx && !checkDomainName(mx, 'mx') ? mx : null };
}

function WatchView({ status, session, onNoteSwitch, busy }: { status: WatchStatus; session: Session; onNoteSwitch: () => void; busy: boolean }) {
  const headline = watchStateWords(status);
  const late = status.lateArrivals;
  return (
    <>
      <MessageBar intent={headline.intent} role="status" layout="multiline" data-watch-state={status.state}>
        <MessageBarBody>
          <MessageBarTitle>{headline.title}</MessageBarTitle>
        </MessageBarBody>
      </MessageBar>
      {status.error && status.state === 'failed' && <ProblemNotice problem={status.error} context={{ role: 'engine' }} session={session} here="keep-in-step" />}
      <SummaryCards
        label="Keeping in step"
        items={[
          { value: count(status.copiedTotal), label: status.copiedTotal === 1 ? 'message copied while keeping in step' : 'messages copied while keeping in step' },
          { value: count(late.count), label: late.count === 1 ? 'late arrival after the switch' : 'late arrivals after the switch' },
          { value: status.switchSeenAt ? clock(status.switchSeenAt) : 'not yet', label: 'MX switch seen' },
        ]}
      />
      {status.switchSeenAt && (
        <MessageBar intent={late.count ? 'info' : 'success'} layout="multiline" data-late={late.count}>
          <MessageBarBody>{lateArrivalsWords(late.count)}</MessageBarBody>
        </MessageBar>
      )}
      {late.items.length > 0 && (
        <Accordion collapsible>
          <AccordionItem value="late">
            <AccordionHeader>Late arrivals{late.count > late.items.length ? ` (the ${count(late.items.length)} most recent of ${count(late.count)})` : ` (${count(late.count)})`}</AccordionHeader>
            <AccordionPanel>
              <div className="table-scroll">
                <Table size="small" aria-label="Late arrivals">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Received</TableHeaderCell>
                      <TableHeaderCell>From</TableHeaderCell>
                      <TableHeaderCell>Subject</TableHeaderCell>
                      <TableHeaderCell>Folder</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {late.items.map((m, i) => (
                      <TableRow key={`${m.folder}-${m.receivedAt ?? ''}-${i}`}>
                        <TableCell>{m.receivedAt ? dateTime(m.receivedAt) : '—'}</TableCell>
                        <TableCell>{m.from}</TableCell>
                        <TableCell className="wrap">{m.subject || '(no subject)'}</TableCell>
                        <TableCell>{m.folder}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      )}
      <SafeToCloseView status={status} session={session} onNoteSwitch={onNoteSwitch} busy={busy} />
    </>
  );
}

function SafeToCloseView({ status, session, onNoteSwitch, busy }: { status: WatchStatus; session: Session; onNoteSwitch: () => void; busy: boolean }) {
  if (status.safeToClose.ok) {
    return (
      <MessageBar intent="success" layout="multiline" data-safe-to-close="true">
        <MessageBarBody>
          <MessageBarTitle>Safe to close the old mailbox</MessageBarTitle> The switch has settled, nothing is missing in the new mailbox, and no message has reached the old server for a day.
          You can stop keeping in step and cancel the old mailbox with your old provider.
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <MessageBar intent="info" layout="multiline" data-safe-to-close="false">
      <MessageBarBody>
        <MessageBarTitle>Keep the old mailbox for now</MessageBarTitle> Cutover says when it is safe to close. It is waiting for:
        <ul aria-label="Waiting for">
          {status.safeToClose.waitingFor.map((w) => {
            const words = waitWords(w, status);
            return (
              <li key={w} data-wait={w}>
                {words.text}{' '}
                {words.fix && (
                  <Button size="small" appearance="transparent" onClick={() => session.go(words.fix!.step)}>
                    {words.fix.label}
                  </Button>
                )}
                {w === 'switch-not-seen' && (
                  <Button size="small" onClick={onNoteSwitch} disabled={busy}>
                    I switched it just now
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
