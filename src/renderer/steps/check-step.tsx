import { useState } from 'react';
import type { PreflightReport } from '../../shared/preflight-types.js';
import { nextStep, type Session } from '../app.js';
import { NeedsAccounts } from './needs-accounts.js';
import { useAction } from './use-action.js';

const WORD = { ok: 'OK', warning: 'Warning', blocking: 'Blocking' } as const;

export function CheckStep({ session }: { session: Session }) {
  const [report, setReport] = useState<PreflightReport | null>(null);
  const action = useAction();
  const { busy, error } = action;
  const source = session.source();
  const target = session.target();
  if (!source || !target) return <NeedsAccounts session={session} />;
  const run = (): Promise<void> => action.run(async () => setReport(await session.api.preflight(source, target)));
  const blocking = report?.findings.some((f) => f.level === 'blocking') ?? false;
  return (
    <section>
      <p>Cutover looks at both mailboxes before copying anything and tells you what to fix first.</p>
      <button type="button" className="primary" onClick={() => void run()} disabled={busy}>
        {busy ? 'Checking…' : report ? 'Check again' : 'Run the check'}
      </button>
      {error && <p role="alert" className="status error">{error}</p>}
      {report && (
        <>
          <ul aria-label="Findings">
            {report.findings.map((f) => (
              <li key={f.id} className={`status ${f.level}`}>
                <span className={`level ${f.level}`}>{WORD[f.level]}</span>
                {f.message}
                {f.action && <div className="hint">What to do: {f.action}</div>}
              </li>
            ))}
          </ul>
          {report.source && (
            <table>
              <caption>Folders in the old mailbox</caption>
              <thead>
                <tr><th scope="col">Folder</th><th scope="col">Messages</th><th scope="col">Size</th></tr>
              </thead>
              <tbody>
                {report.source.folders.map((f) => (
                  <tr key={f.path}><td>{f.path}</td><td>{f.messages}</td><td>{(f.bytes / 1_048_576).toFixed(1)} MB</td></tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" className="primary" onClick={() => session.go(nextStep('check'))} disabled={blocking}>
            Next
          </button>
          {blocking && <p className="hint">Fix the blocking findings, then run the check again.</p>}
        </>
      )}
    </section>
  );
}
