import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens, typographyStyles } from '@fluentui/react-components';
import { PauseCircle20Regular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { PreflightReport } from '../../shared/preflight-types.js';
import { nextStep, type Session } from '../session.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { SummaryCards } from '../parts/summary-cards.js';
import { StepForm } from '../shell/step-form.js';
import { count, dateTime, plural, size } from '../words/numbers.js';
import { copyRequest } from './copy-choices.js';
import { lastSyncOf, type CopyFigures } from './copy-numbers.js';
import { CopyFoldersTable } from './copy-folders-table.js';
import { CopyMessages } from './copy-messages.js';
import { CopyProgress } from './copy-progress.js';
import { copyView, type CopyPhase } from './copy-view.js';
import { NeedsAccounts, passwordStep } from './needs-accounts.js';
import { pairBusyText } from './sync-words.js';
import { useCopyJob, useElapsed, type CopyJob } from './use-copy-job.js';

const useStyles = makeStyles({
  headline: { ...typographyStyles.subtitle2, margin: 0 },
  ready: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** "1,500 messages · 7 folders · 137 MB". */
function headline(f: Pick<CopyFigures, 'messages' | 'folders' | 'bytes'>): string {
  return [plural(f.messages, 'message', 'messages'), plural(f.folders, 'folder', 'folders'), ...(f.bytes !== null ? [size(f.bytes)] : [])].join(' · ');
}

/** The cards under the headline: this run's counts when there is a run, else what the new mailbox holds. */
function cards(f: CopyFigures): { value: string; label: string }[] {
  const items =
    f.copied !== null && f.already !== null
      ? [
          { value: count(f.copied), label: 'copied' },
          { value: count(f.already), label: 'were already there' },
        ]
      : [{ value: count(f.inNew), label: 'in the new mailbox' }];
  items.push({ value: count(f.left), label: 'left to copy' }, { value: count(f.refused), label: 'refused' });
  if (f.tooLarge > 0) items.push({ value: count(f.tooLarge), label: 'too large (left out)' });
  return items;
}

/** Before the first copy: what the check counted in the folders that will be copied. */
function readyFigures(check: PreflightReport | null, excluded: string[]): Pick<CopyFigures, 'messages' | 'folders' | 'bytes'> | null {
  const folders = check?.source?.folders.filter((f) => !excluded.includes(f.path));
  if (!folders) return null;
  return { messages: folders.reduce((n, f) => n + f.messages, 0), folders: folders.length, bytes: folders.reduce((n, f) => n + f.bytes, 0) };
}

/** The sentence on top that says where the copy stands: paused, done (and whether all is in), failed, interrupted. */
function StateNotice({ phase, figures, job, session }: { phase: CopyPhase; figures: CopyFigures | null; job: CopyJob; session: Session }) {
  const f = figures;
  const inNew = f ? `${count(f.inNew)} of ${plural(f.messages, 'message is', 'messages are')} in the new mailbox.` : '';
  if (phase === 'paused' || phase === 'interrupted') {
    return (
      <MessageBar intent="warning" layout="multiline" icon={<PauseCircle20Regular />} role="status">
        <MessageBarBody>
          <MessageBarTitle>{phase === 'paused' ? 'Paused.' : 'The copy stopped before it was finished.'}</MessageBarTitle> {inNew} “Resume” continues where it stopped, without duplicates.
        </MessageBarBody>
      </MessageBar>
    );
  }
  if ((phase === 'done' || phase === 'complete') && f) {
    const all = f.left === 0 && f.refused === 0 && f.tooLarge === 0;
    const missing = [
      f.refused > 0 ? `The new mailbox refused ${plural(f.refused, 'message', 'messages')}: listed below, with the reason.` : '',
      f.tooLarge > 0 ? `${plural(f.tooLarge, 'message is', 'messages are')} larger than the new mailbox accepts: listed below.` : '',
      f.left > 0 ? `${plural(f.left, 'message is', 'messages are')} not copied yet: “Copy again” copies ${f.left === 1 ? 'it' : 'them'}.` : '',
    ].filter(Boolean);
    return (
      <MessageBar intent={all ? 'success' : 'warning'} layout="multiline" role="status">
        <MessageBarBody>
          <MessageBarTitle>{all ? 'Done.' : 'Done, but not everything is in the new mailbox.'}</MessageBarTitle>{' '}
          {all ? `All ${plural(f.messages, 'message is', 'messages are')} in the new mailbox.` : `${inNew} ${missing.join(' ')}`}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (phase === 'done' && job.summary) {
    // A run that stopped before it counted anything (it cannot happen with this engine, which always plans first).
    const s = job.summary;
    return (
      <MessageBar intent={s.failed.length > 0 ? 'warning' : 'success'} layout="multiline" role="status">
        <MessageBarBody>
          <MessageBarTitle>Done.</MessageBarTitle> {plural(s.copied, 'message', 'messages')} copied, {count(s.alreadyPresent)} were already there{s.failed.length > 0 ? `, ${count(s.failed.length)} refused` : ''}.
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (phase !== 'failed') return null;
  const kept = f && f.messages > 0 ? `Nothing is lost: ${inNew} “Retry” continues where it stopped, without duplicates.` : 'Nothing was copied yet. “Retry” starts again.';
  const busy = job.error ? pairBusyText(job.error) : null;
  if (busy) {
    return (
      <MessageBar intent="warning" layout="multiline" role="alert">
        <MessageBarBody>{busy}</MessageBarBody>
      </MessageBar>
    );
  }
  if (job.error) {
    return (
      <ProblemNotice problem={job.error} context={{ role: 'copy' }} session={session} here="copy-mail">
        {kept}
      </ProblemNotice>
    );
  }
  // Folders that could not be copied at all, one notice per kind of problem.
  const byCode = new Map<string, string[]>();
  for (const e of job.summary?.folderErrors ?? []) byCode.set(e.error.code, [...(byCode.get(e.error.code) ?? []), e.folder]);
  return (
    <>
      {[...byCode].map(([code, folders]) => (
        <ProblemNotice key={code} problem={{ code: code as NonNullable<CopyJob['error']>['code'] }} context={{ role: 'copy' }} session={session} here="copy-mail">
          Not copied: {folders.map((x) => `“${x}”`).join(', ')}. {kept}
        </ProblemNotice>
      ))}
    </>
  );
}

export function CopyStep({ session }: { session: Session }) {
  const styles = useStyles();
  const source = session.source();
  const target = session.target();
  const job = useCopyJob(session.api, session.state.source, session.state.target, (summary, status) => {
    session.setLastSummary(summary);
    // "Mail copied" on the finish page is the pair's total in the new mailbox, not only this run's.
    session.update({ lastSync: lastSyncOf(summary, status) });
  });
  const view = copyView(job);
  const { phase, figures, rows } = view;
  const running = phase === 'running';
  const elapsedSeconds = useElapsed(running ? job.startedAt : null);
  const elsewhere = !running ? (job.status?.elsewhere ?? null) : null;
  const ready = source !== null && target !== null;
  // After a first copy (or a stop), a new run also looks again at what is in the new mailbox.
  const again = session.state.lastSync !== null || phase !== 'idle';
  const start = (repair: boolean): void => {
    if (!source || !target) return;
    void job.start(source, target, copyRequest(session, repair));
  };
  const next = (): void => session.go(nextStep('copy-mail'));

  let primary: { label: string; run: () => void } | null = null;
  const secondary: ReactNode[] = [];
  if (running) {
    secondary.push(
      <Button key="pause" icon={<PauseCircle20Regular />} onClick={() => void job.pause()}>
        Pause
      </Button>,
    );
  } else if (elsewhere) {
    secondary.push(
      <Button key="look" onClick={() => void job.refresh()}>
        Look again
      </Button>,
    );
  } else if (!ready) {
    primary = { label: 'Enter the passwords', run: () => session.go(passwordStep(session)) };
  } else if (phase === 'idle') {
    primary = { label: 'Start copying', run: () => start(again) };
  } else if (phase === 'paused' || phase === 'interrupted') {
    secondary.push(<Button key="next" onClick={next}>Next</Button>);
    primary = { label: 'Resume', run: () => start(again) };
  } else if (phase === 'failed') {
    if (figures && figures.inNew > 0) secondary.push(<Button key="next" onClick={next}>Next</Button>);
    primary = { label: 'Retry', run: () => start(again) };
  } else {
    secondary.push(
      <Button key="again" onClick={() => start(true)}>
        Copy again (new mail only)
      </Button>,
    );
    if (figures && figures.refused > 0)
      secondary.push(
        <Button key="refused" onClick={() => start(true)}>
          Try the refused ones again
        </Button>,
      );
    primary = { label: 'Next', run: next };
  }
  const prepared = phase === 'idle' ? readyFigures(session.check, session.state.excluded) : null;
  return (
    <StepForm
      onSubmit={() => primary?.run()}
      footer={
        <>
          {running && <span className="footer-note">Going to another step does not stop the copy.</span>}
          {secondary}
          {primary && (
            <Button type="submit" appearance="primary">
              {primary.label}
            </Button>
          )}
        </>
      }
    >
      <p>Cutover copies every message with its flags and date into the new mailbox. You can pause at any time: starting again continues where it stopped and never makes a duplicate. The old mailbox is not changed.</p>
      {job.lost && (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Cutover does not answer.</MessageBarTitle> If it was closed, start it again (the browser version shows a new address to open): the copy continues where it stopped, without duplicates, and this page picks it up by itself.
          </MessageBarBody>
        </MessageBar>
      )}
      {elsewhere && (
        <MessageBar intent="warning" layout="multiline" role="status">
          <MessageBarBody>
            Another Cutover is copying these two mailboxes (process {elsewhere.pid}, since {dateTime(elsewhere.since)}). This page shows where it stands; wait until it has finished.
          </MessageBarBody>
        </MessageBar>
      )}
      {!elsewhere && <StateNotice phase={phase} figures={figures} job={job} session={session} />}
      {!ready && !running && <NeedsAccounts session={session} button={false} />}
      {prepared && (
        <div className={styles.ready}>
          <p className={styles.headline}>Ready to copy: {headline(prepared)}</p>
          <Text>Nothing is copied until you press “Start copying”.</Text>
        </div>
      )}
      {running && <CopyProgress overall={job.overall} current={job.folders[job.folders.length - 1] ?? null} notice={job.notice} planned={job.plan !== null} elapsedSeconds={elapsedSeconds} />}
      {figures && (
        <>
          <p className={styles.headline}>{headline(figures)}</p>
          <SummaryCards label="Where the copy stands" items={cards(figures)} />
        </>
      )}
      {rows.length > 0 && <CopyFoldersTable rows={rows} />}
      <CopyMessages refused={view.refused} tooLarge={view.tooLarge} />
    </StepForm>
  );
}
