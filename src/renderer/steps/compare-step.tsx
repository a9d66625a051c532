import { useState } from 'react';
import { compareCsv, compareHtml } from '../../shared/compare-export.js';
import type { CompareReport, FolderComparison } from '../../shared/compare-types.js';
import { nextStep, type Session } from '../session.js';
import { copyRequest } from './copy-choices.js';
import { count, lastSyncOf } from './copy-numbers.js';
import { ExtraCopiesPanel } from './extra-copies-panel.js';
import { NeedsAccounts } from './needs-accounts.js';
import { copyErrorText } from './sync-words.js';
import { useAction } from './use-action.js';
import { useCopyJob } from './use-copy-job.js';

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function extra(f: FolderComparison): number {
  return f.duplicates.reduce((n, d) => n + d.copies, 0);
}

function status(f: FolderComparison): string {
  if (f.leftOut) return 'Left out';
  const parts = [f.missing.length > 0 ? `${count(f.missing.length)} missing` : '', f.duplicates.length > 0 ? `${count(extra(f))} extra copies` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'Complete';
}

/** The one sentence on top: complete only when nothing is missing and nothing is duplicated. */
export function compareSummary(r: CompareReport): string {
  if (r.complete) return 'Nothing is missing in the new mailbox.';
  const parts: string[] = [];
  if (r.missingTotal > 0) parts.push(`${count(r.missingTotal)} messages are missing in the new mailbox`);
  if (r.duplicateTotal > 0) parts.push(`${count(r.duplicateTotal)} extra copies are in the new mailbox`);
  return `${parts.join(', and ')}.`;
}

export function CompareStep({ session }: { session: Session }) {
  const action = useAction();
  const { busy, error } = action;
  const [open, setOpen] = useState<string | null>(null);
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
  if (!source || !target) return <NeedsAccounts session={session} />;
  const copying = repair.jobId !== null;
  const copyMissing = (): void => void repair.start(source, target, copyRequest(session, true));
  const shown = report?.folders.find((f) => f.source === open) ?? null;
  const other = report ? report.folders.reduce((n, f) => n + f.extraOnTarget, 0) : 0;
  return (
    <section>
      <p>Both mailboxes side by side, folder by folder, from message headers only.</p>
      <button type="button" className="primary" onClick={() => void run()} disabled={busy || copying}>
        {busy ? 'Comparing…' : report ? 'Compare again' : 'Compare the mailboxes'}
      </button>
      {error && <p role="alert" className="status error">{error}</p>}
      {report && (
        <>
          <p role="status" className={`status ${report.complete ? 'ok' : 'warning'}`}>
            {compareSummary(report)}
          </p>
          {other > 0 && <p className="hint">{count(other)} messages in the new mailbox are not from the old one (they were there before); they are left alone.</p>}
          <div className="table-scroll">
            <table>
              <caption>Folders side by side</caption>
              <thead>
                <tr><th scope="col">Old mailbox</th><th scope="col">Messages</th><th scope="col">New mailbox</th><th scope="col">Messages</th><th scope="col">Status</th></tr>
              </thead>
              <tbody>
                {report.folders.map((f) => (
                  <tr key={f.source}>
                    <td>{f.source}</td>
                    <td>{count(f.sourceCount)}</td>
                    <td>{f.target ?? '—'}</td>
                    <td>{f.leftOut ? '—' : count(f.targetCount)}</td>
                    <td>
                      {f.leftOut || (f.missing.length === 0 && f.duplicates.length === 0) ? (
                        status(f)
                      ) : (
                        <button type="button" className="secondary" aria-expanded={open === f.source} onClick={() => setOpen(open === f.source ? null : f.source)}>
                          {status(f)}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {shown && shown.missing.length > 0 && (
            <div className="table-scroll">
              <table>
                <caption>Missing in “{shown.source}”</caption>
                <thead><tr><th scope="col">Date</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Size</th></tr></thead>
                <tbody>
                  {shown.missing.map((m) => (
                    <tr key={m.uid}><td>{m.date?.slice(0, 10) ?? ''}</td><td>{m.from}</td><td>{m.subject}</td><td>{Math.ceil(m.size / 1024)} KB</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {shown && shown.duplicates.length > 0 && (
            <div className="table-scroll">
              <table>
                <caption>More than once in “{shown.target}”</caption>
                <thead><tr><th scope="col">Date</th><th scope="col">Subject</th><th scope="col">Extra copies</th></tr></thead>
                <tbody>
                  {shown.duplicates.map((d, i) => (
                    <tr key={`${d.messageId ?? ''}-${i}`}><td>{d.date?.slice(0, 10) ?? ''}</td><td>{d.subject}</td><td>{d.copies}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.missingTotal > 0 && (
            <button type="button" className="primary" onClick={copyMissing} disabled={copying || busy}>
              {copying ? 'Copying the missing ones…' : 'Copy the missing ones'}
            </button>
          )}
          {copying && repair.overall && (
            <p role="status" aria-live="polite">
              Copying: {count(repair.overall.messagesDone)} of {count(repair.overall.messagesTotal)} messages in the new mailbox.
            </p>
          )}
          {repair.error && <p role="alert" className="status error">{copyErrorText(repair.error)}</p>}
          {report.duplicateTotal > 0 && !copying && <ExtraCopiesPanel session={session} source={source} target={target} onRemoved={run} />}
          <button type="button" className="secondary" onClick={() => download('cutover-comparison.csv', 'text/csv', compareCsv(report))}>Export CSV</button>
          <button type="button" className="secondary" onClick={() => download('cutover-comparison.html', 'text/html', compareHtml(report, new Date()))}>Export printable page</button>
          <button type="button" className="primary" onClick={() => session.go(nextStep('compare'))} disabled={copying}>Next</button>
        </>
      )}
    </section>
  );
}
