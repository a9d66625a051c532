import { Button, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Spinner, Text, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { compareCsv, compareHtml } from '../../shared/compare-export.js';
import type { CompareReport } from '../../shared/compare-types.js';
import type { MessageRef } from '../../shared/sync-types.js';
import { nextStep, type Session } from '../session.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { SummaryCards } from '../parts/summary-cards.js';
import { StepForm } from '../shell/step-form.js';
import { count, plural } from '../words/numbers.js';
import { CompareFoldersTable, FolderDetails } from './compare-folders.js';
import { copyRequest } from './copy-choices.js';
import { lastSyncOf } from './copy-numbers.js';
import { ExtraCopiesPanel } from './extra-copies-panel.js';
import { NeedsAccounts, passwordStep } from './needs-accounts.js';
import { isFlagsOnly, pairBusyText } from './sync-words.js';
import { useAction } from './use-action.js';
import { useCopyJob } from './use-copy-job.js';

const useStyles = makeStyles({
  exports: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** The sentence on top: "nothing is missing and nothing is duplicated" only when that is true. */
export function compareSummary(r: CompareReport): string {
  if (r.missingTotal === 0 && r.duplicateTotal === 0) return 'Nothing is missing and nothing is duplicated in the new mailbox.';
  const parts: string[] = [];
  if (r.missingTotal > 0) parts.push(`${plural(r.missingTotal, 'message is', 'messages are')} missing in the new mailbox`);
  if (r.duplicateTotal > 0) parts.push(`${plural(r.duplicateTotal, 'extra copy is', 'extra copies are')} in the new mailbox`);
  return `${parts.join(', and ')}.`.replace(/^./, (c) => c.toUpperCase());
}

/** Messages the new mailbox refused when they were copied (this session, or this Cutover since it started). */
function refusedKeys(lists: (MessageRef[] | undefined)[]): Set<string> {
  return new Set(lists.flatMap((l) => (l ?? []).filter((r) => !isFlagsOnly(r)).map((r) => `${r.folder}\u0000${r.uid}`)));
}

export function CompareStep({ session }: { session: Session }) {
  const styles = useStyles();
  const action = useAction();
  const [open, setOpen] = useState<string | null>(null);
  // Said after the comparison that follows a removal (the panel itself goes once nothing is duplicated).
  const [removed, setRemoved] = useState<number | null>(null);
  const report = session.lastReport;
  const source = session.source();
  const target = session.target();
  const run = (): Promise<void> =>
    action.run(async () => {
      if (!source || !target) return;
      const r = await session.api.compare(source, target);
      session.setLastReport(r);
      session.update({ lastCompareMissing: r.missingTotal, lastCompareDuplicates: r.duplicateTotal, lastReportFile: r.savedTo?.html ?? null });
    });
  // "Copy the missing ones" copies right here (a repair: also what was copied once and vanished),
  // then compares again, so the page always ends on the new result.
  const repair = useCopyJob(session.api, session.state.source, session.state.target, (summary, pair) => {
    session.setLastSummary(summary);
    session.update({ lastSync: lastSyncOf(summary, pair) });
    void run();
  });
  const copying = repair.jobId !== null;
  const refused = refusedKeys([session.lastSummary?.failed, repair.summary?.failed, repair.status?.lastSummary?.failed]);
  const isRefused = (folder: string) => (uid: number) => refused.has(`${folder}\u0000${uid}`);
  const refusedMissing = report ? report.folders.reduce((n, f) => n + f.missing.filter((m) => refused.has(`${f.source}\u0000${m.uid}`)).length, 0) : 0;
  const copyMissing = (): void => {
    if (source && target) void repair.start(source, target, copyRequest(session, true));
  };
  const next = (): void => session.go(nextStep('compare'));
  const ready = source !== null && target !== null;

  let primary: { label: string; run: () => void; busy?: boolean } | null = null;
  const secondary: ReactNode[] = [];
  if (!ready) primary = { label: 'Enter the passwords', run: () => session.go(passwordStep(session)) };
  else if (!report) primary = { label: action.busy ? 'Comparing…' : 'Compare the mailboxes', run: () => void run(), busy: action.busy };
  else if (!copying) {
    secondary.push(
      <Button key="again" onClick={() => void run()} disabled={action.busy}>
        {action.busy ? 'Comparing…' : 'Compare again'}
      </Button>,
    );
    if (report.missingTotal > refusedMissing) {
      secondary.push(<Button key="next" onClick={next}>Next</Button>);
      primary = { label: 'Copy the missing ones', run: copyMissing, busy: action.busy };
    } else {
      if (report.missingTotal > 0) secondary.push(<Button key="retry" onClick={copyMissing} disabled={action.busy}>Try copying them again</Button>);
      primary = { label: 'Next', run: next, busy: action.busy };
    }
  }
  const compared = report?.folders.filter((f) => !f.leftOut) ?? [];
  const leftOut = (report?.folders.length ?? 0) - compared.length;
  const other = compared.reduce((n, f) => n + f.extraOnTarget, 0);
  const shown = report?.folders.find((f) => f.source === open) ?? null;
  const clean = report !== null && report.missingTotal === 0 && report.duplicateTotal === 0;
  return (
    <StepForm
      onSubmit={() => primary && !primary.busy && primary.run()}
      footer={
        <>
          {copying && <span className="footer-note">Copying the missing ones; the comparison runs again by itself afterwards.</span>}
          {secondary}
          {primary && (
            <Button type="submit" appearance="primary" disabled={primary.busy}>
              {primary.label}
            </Button>
          )}
        </>
      }
    >
      <p>Both mailboxes side by side, folder by folder. Cutover reads only the messages’ headers here and changes nothing.</p>
      {!ready && <NeedsAccounts session={session} button={false} />}
      {action.busy && <Spinner size="tiny" label="Comparing both mailboxes, folder by folder… A large mailbox takes a minute." labelPosition="after" />}
      {action.problem && <ProblemNotice problem={action.problem} context={{ role: 'copy' }} session={session} here="compare" />}
      {report && !action.busy && (
        <>
          <MessageBar intent={clean ? 'success' : 'warning'} layout="multiline" role="status">
            <MessageBarBody>
              <MessageBarTitle>{compareSummary(report)}</MessageBarTitle>
              {refusedMissing > 0 && ` ${refusedMissing === report.missingTotal ? (refusedMissing === 1 ? 'The new mailbox refused it' : 'The new mailbox refused them') : `The new mailbox refused ${count(refusedMissing)} of them`} when Cutover copied ${refusedMissing === 1 ? 'it' : 'them'} (see “Copy mail”): keep ${refusedMissing === 1 ? 'it' : 'them'} in the old mailbox or save ${refusedMissing === 1 ? 'it' : 'them'} elsewhere.`}
              {leftOut > 0 && ` ${plural(leftOut, 'folder was', 'folders were')} left out on purpose and ${leftOut === 1 ? 'is' : 'are'} not compared.`}
            </MessageBarBody>
          </MessageBar>
          <SummaryCards
            label="Both mailboxes"
            items={[
              { value: count(compared.reduce((n, f) => n + f.sourceCount, 0)), label: 'in the old mailbox' },
              { value: count(compared.reduce((n, f) => n + f.targetCount, 0)), label: 'in the new mailbox' },
              { value: count(report.missingTotal), label: 'missing' },
              { value: count(report.duplicateTotal), label: report.duplicateTotal === 1 ? 'extra copy' : 'extra copies' },
            ]}
          />
          {other > 0 && <Text>{plural(other, 'message in the new mailbox is', 'messages in the new mailbox are')} not from the old one (they were there before); Cutover leaves them alone.</Text>}
          {copying && (
            <Field label={repair.overall ? `Copying the missing ones: ${count(repair.overall.messagesDone)} of ${count(repair.overall.messagesTotal)} messages in the new mailbox` : 'Copying the missing ones…'}>
              <ProgressBar value={repair.overall && repair.overall.messagesTotal > 0 ? repair.overall.messagesDone : undefined} max={repair.overall?.messagesTotal || undefined} />
            </Field>
          )}
          {repair.error && (pairBusyText(repair.error) ? <MessageBar intent="warning" layout="multiline" role="alert"><MessageBarBody>{pairBusyText(repair.error)}</MessageBarBody></MessageBar> : <ProblemNotice problem={repair.error} context={{ role: 'copy' }} session={session} here="compare" />)}
          <CompareFoldersTable folders={report.folders} open={open} onOpen={setOpen} />
          {shown && <FolderDetails folder={shown} refused={isRefused(shown.source)} />}
          {removed !== null && (
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>{plural(removed, 'extra copy was', 'extra copies were')} removed from the new mailbox.</MessageBarBody>
            </MessageBar>
          )}
          {report.duplicateTotal > 0 && !copying && source && target && (
            <ExtraCopiesPanel
              session={session}
              source={source}
              target={target}
              onRemoved={(n) => {
                setRemoved(n);
                return run();
              }}
            />
          )}
          <div className={styles.exports}>
            <Button icon={<ArrowDownload20Regular />} onClick={() => download('cutover-comparison.csv', 'text/csv', compareCsv(report))}>
              Save as a spreadsheet (CSV)
            </Button>
            <Button icon={<ArrowDownload20Regular />} onClick={() => download('cutover-comparison.html', 'text/html', compareHtml(report, new Date()))}>
              Save a printable page
            </Button>
          </div>
        </>
      )}
    </StepForm>
  );
}
