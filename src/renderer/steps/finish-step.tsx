import { useState } from 'react';
import type { Session } from '../app.js';

export function FinishStep({ session }: { session: Session }) {
  const { lastSync, lastCompareMissing, lastCompareDuplicates, lastReportFile } = session.state;
  const [logPath, setLogPath] = useState<string | null>(null);
  const done = lastSync !== null && lastCompareMissing === 0 && !lastCompareDuplicates;
  return (
    <section>
      <p role="status" className={`status ${done ? 'ok' : 'warning'}`}>
        {done ? 'Your mail is in the new mailbox and nothing is missing.' : 'Some steps are not finished yet.'}
      </p>
      <ul>
        <li>Mail copied: {lastSync ? `${lastSync.copied} messages on ${new Date(lastSync.at).toLocaleString()}${lastSync.failed ? `, ${lastSync.failed} refused` : ''}` : 'not yet'}</li>
        <li>Comparison: {lastCompareMissing === null ? 'not run yet' : lastCompareMissing === 0 ? 'nothing missing' : `${lastCompareMissing} messages missing`}{lastCompareDuplicates ? `, ${lastCompareDuplicates} extra copies` : ''}</li>
        {lastReportFile && <li>Report saved as {lastReportFile}</li>}
      </ul>
      <h2>What is left</h2>
      <ul>
        <li>Point your domain's MX record to Microsoft 365 (your DNS provider; Microsoft shows the exact value in the admin center).</li>
        <li>Keep the old mailbox for a few days and copy again: mail that still arrives there is picked up, and nothing is duplicated.</li>
      </ul>
      <button type="button" className="secondary" onClick={() => void session.api.openLogFolder().then((r) => setLogPath(r.opened ? null : r.path))}>
        Open log folder
      </button>
      {logPath && <p className="hint">The log is in {logPath} on the computer running Cutover.</p>}
    </section>
  );
}
