import { useState } from 'react';
import { compareCsv, compareHtml } from '../../shared/compare-export.js';
import type { FolderComparison } from '../../shared/compare-types.js';
import { nextStep, type Session } from '../app.js';
import { NeedsAccounts } from './needs-accounts.js';
import { useAction } from './use-action.js';

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function CompareStep({ session }: { session: Session }) {
  const action = useAction();
  const { busy, error } = action;
  const [open, setOpen] = useState<string | null>(null);
  const report = session.lastReport;
  const source = session.source();
  const target = session.target();
  if (!source || !target) return <NeedsAccounts session={session} />;
  const run = (): Promise<void> =>
    action.run(async () => {
      const r = await session.api.compare(source, target);
      session.setLastReport(r);
      session.update({ lastCompareMissing: r.missingTotal, lastReportFile: r.savedTo?.html ?? null });
    });
  const status = (f: FolderComparison): string => (f.missing.length === 0 ? 'Complete' : `${f.missing.length} missing`);
  const copyMissing = (): void => session.go('copy-mail');
  return (
    <section>
      <p>Both mailboxes side by side, folder by folder, from message headers only.</p>
      <button type="button" className="primary" onClick={() => void run()} disabled={busy}>
        {busy ? 'Comparing…' : report ? 'Compare again' : 'Compare the mailboxes'}
      </button>
      {error && <p role="alert" className="status error">{error}</p>}
      {report && (
        <>
          <p role="status" className={`status ${report.missingTotal === 0 ? 'ok' : 'warning'}`}>
            {report.missingTotal === 0 ? 'Nothing is missing in the new mailbox.' : `${report.missingTotal} messages are missing in the new mailbox.`}
          </p>
          <table>
            <caption>Folders side by side</caption>
            <thead>
              <tr><th scope="col">Old mailbox</th><th scope="col">Messages</th><th scope="col">New mailbox</th><th scope="col">Messages</th><th scope="col">Status</th></tr>
            </thead>
            <tbody>
              {report.folders.map((f) => (
                <tr key={f.source}>
                  <td>{f.source}</td>
                  <td>{f.sourceCount}</td>
                  <td>{f.target}</td>
                  <td>{f.targetCount}</td>
                  <td>
                    {f.missing.length === 0 ? status(f) : (
                      <button type="button" className="secondary" aria-expanded={open === f.source} onClick={() => setOpen(open === f.source ? null : f.source)}>
                        {status(f)}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {open && (
            <table>
              <caption>Missing in “{open}”</caption>
              <thead><tr><th scope="col">Date</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Size</th></tr></thead>
              <tbody>
                {report.folders.find((f) => f.source === open)?.missing.map((m) => (
                  <tr key={m.uid}><td>{m.date?.slice(0, 10) ?? ''}</td><td>{m.from}</td><td>{m.subject}</td><td>{Math.ceil(m.size / 1024)} KB</td></tr>
                ))}
              </tbody>
            </table>
          )}
          {report.missingTotal > 0 && <button type="button" className="primary" onClick={copyMissing}>Copy the missing ones</button>}
          <button type="button" className="secondary" onClick={() => download('cutover-comparison.csv', 'text/csv', compareCsv(report))}>Export CSV</button>
          <button type="button" className="secondary" onClick={() => download('cutover-comparison.html', 'text/html', compareHtml(report, new Date()))}>Export printable page</button>
          <button type="button" className="primary" onClick={() => session.go(nextStep('compare'))}>Next</button>
        </>
      )}
    </section>
  );
}
