import type { MessageRef } from '../../shared/sync-types.js';
import { nextStep, type Session } from '../session.js';
import { copyRequest } from './copy-choices.js';
import { count, duration, folderRows, lastSyncOf, size } from './copy-numbers.js';
import { NeedsAccounts } from './needs-accounts.js';
import { copyErrorText } from './sync-words.js';
import { useCopyJob, useElapsed } from './use-copy-job.js';

export function CopyStep({ session }: { session: Session }) {
  const source = session.source();
  const target = session.target();
  const job = useCopyJob(session.api, session.state.source, session.state.target, (summary, status) => {
    session.setLastSummary(summary);
    // "Mail copied" on the finish page is the pair's total in the new mailbox, not only this run's.
    session.update({ lastSync: lastSyncOf(summary, status) });
  });
  const { status, summary, overall } = job;
  const running = job.jobId !== null;
  const elapsedSeconds = useElapsed(running ? job.startedAt : null);
  const rows = folderRows({ summary, running, plan: job.plan, live: job.folders, status }).filter((r) => r.total > 0);
  // Messages left out on purpose (too large) are not waiting for a resume.
  const settled = status ? status.done + status.skipped : 0;
  const partial = !running && !summary && status !== null && status.known > 0 && settled < status.known;
  const complete = !running && status !== null && status.known > 0 && settled >= status.known;
  const start = (repair: boolean): void => {
    if (!source || !target) return;
    void job.start(source, target, copyRequest(session, repair));
  };
  const again = session.state.lastSync !== null || complete || partial;
  const failed: MessageRef[] = summary && !running ? summary.failed : job.failed;
  return (
    <section>
      <p>Copies every message with its flags and date. You can stop at any time; running it again continues where it stopped and never makes a duplicate.</p>
      {job.lost && (
        <p role="alert" className="status error">
          Cutover does not answer. If it was closed, start it again (the browser version shows a new address to open): the copy continues where it stopped, without duplicates.
        </p>
      )}
      {status?.elsewhere && !running && (
        <p role="status" className="status warning">
          Another Cutover is copying these two mailboxes (process {status.elsewhere.pid}, since {new Date(status.elsewhere.since).toLocaleString()}). Wait until it has finished.
        </p>
      )}
      {running && overall && overall.messagesTotal > 0 && (
        <div role="status" aria-live="polite">
          <label htmlFor="overall">
            All folders: {count(overall.messagesDone)} of {count(overall.messagesTotal)} messages
          </label>
          <progress id="overall" max={overall.messagesTotal} value={overall.messagesDone} />
          <p className="hint">
            {duration(elapsedSeconds)} so far{overall.etaSeconds === null ? '' : overall.etaSeconds > 0 ? `, about ${duration(overall.etaSeconds)} left` : ''}
            {overall.failed > 0 ? `; ${count(overall.failed)} refused` : ''}
          </p>
        </div>
      )}
      {partial && (
        <p role="status" className="status warning">
          {count(status.done)} of {count(status.known)} copied — “Resume” continues where it stopped, without duplicates.
        </p>
      )}
      {complete && !summary && (
        <p role="status" className="status ok">
          {status.skipped > 0
            ? `${count(status.done)} of ${count(status.known)} messages are in the new mailbox; ${count(status.skipped)} are left out on purpose (too large).`
            : `All ${count(status.known)} messages are in the new mailbox.`}
        </p>
      )}
      {running ? null : !source || !target ? (
        <NeedsAccounts session={session} />
      ) : (
        <button type="button" className="primary" onClick={() => start(again)} disabled={status?.elsewhere != null}>
          {summary?.cancelled || partial ? 'Resume' : summary || complete ? 'Copy again (new mail only)' : 'Start copying'}
        </button>
      )}
      {running && (
        <button type="button" className="secondary" onClick={() => void job.pause()}>
          Pause
        </button>
      )}
      {job.notice && running && <p className="status warning">{job.notice}</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>Progress per folder</caption>
            <thead>
              <tr><th scope="col">Folder</th><th scope="col">Messages</th><th scope="col">Size</th><th scope="col">Speed</th><th scope="col">Time left</th></tr>
            </thead>
            <tbody>
              {rows.map((f) => (
                <tr key={f.folder}>
                  <td>{f.folder} → {f.target}</td>
                  <td><progress max={f.total} value={f.done} aria-label={`${f.folder} progress`} /> {count(f.done)}/{count(f.total)}</td>
                  <td>{f.bytesTotal > 0 ? `${size(f.bytesDone)} of ${size(f.bytesTotal)}` : ''}</td>
                  <td>{f.bytesPerSecond ? `${size(f.bytesPerSecond)}/s` : ''}</td>
                  <td>{f.finished ? 'done' : !running ? '' : f.etaSeconds === null ? '…' : duration(f.etaSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {job.error && <p role="alert" className="status error">{copyErrorText(job.error)}</p>}
      {summary && !running && (
        <div role="status" className={`status ${summary.failed.length || summary.folderErrors.length ? 'warning' : summary.cancelled ? 'warning' : 'ok'}`}>
          {summary.cancelled ? 'Paused: “Resume” continues where it stopped, without duplicates. ' : 'Done. '}
          {count(summary.copied)} messages copied, {count(summary.alreadyPresent)} were already there, {count(summary.flagsUpdated)} flag updates.
          {summary.skipped.length > 0 && ` ${count(summary.skipped.length)} left out on purpose (too large).`}
        </div>
      )}
      {failed.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>Messages the new mailbox refused</caption>
            <thead><tr><th scope="col">Folder</th><th scope="col">Subject</th><th scope="col">Reason</th></tr></thead>
            <tbody>
              {failed.map((m) => (
                <tr key={`${m.folder}-${m.uid}`}><td>{m.folder}</td><td>{m.subject}</td><td>{m.reason}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {summary && !running && summary.failed.length > 0 && source && target && (
        <button type="button" className="secondary" onClick={() => start(true)}>Try the failed ones again</button>
      )}
      <button type="button" className="primary" onClick={() => session.go(nextStep('copy-mail'))} disabled={running || !(summary || complete)}>
        Next
      </button>
    </section>
  );
}
