import { useEffect, useRef, useState } from 'react';
import type { ApiEvent } from '../../shared/app-api.js';
import type { FolderProgress, MessageRef, SyncSummary } from '../../shared/sync-types.js';
import { nextStep, type Session } from '../app.js';
import { errorText } from '../api/web-client.js';
import { NeedsAccounts } from './needs-accounts.js';

function mb(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function CopyStep({ session }: { session: Session }) {
  const [job, setJob] = useState<string | null>(null);
  const [folders, setFolders] = useState<Record<string, FolderProgress>>({});
  const [failed, setFailed] = useState<MessageRef[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [summary, setSummary] = useState<SyncSummary | null>(session.lastSummary);
  const [error, setError] = useState<string | null>(null);
  const jobRef = useRef<string | null>(null);
  const source = session.source();
  const target = session.target();

  useEffect(
    () =>
      session.api.onEvent((e: ApiEvent) => {
        if ((e.type !== 'sync' && e.type !== 'sync-finished') || e.jobId !== jobRef.current) return;
        if (e.type === 'sync-finished') {
          setJob(null);
          jobRef.current = null;
          if (e.summary) {
            setSummary(e.summary);
            session.setLastSummary(e.summary);
            session.update({ lastSync: { copied: e.summary.copied, failed: e.summary.failed.length, at: new Date().toISOString() } });
          }
          if (e.error) setError(e.error.message);
          return;
        }
        const ev = e.event;
        if (ev.type === 'folder-start' || ev.type === 'folder-progress') setFolders((f) => ({ ...f, [ev.progress.folder]: ev.progress }));
        else if (ev.type === 'message-failed') setFailed((f) => [...f, ev.message]);
        else if (ev.type === 'throttled') setNotice(`The server asked us to slow down; waiting ${ev.waitSeconds} seconds.`);
        else if (ev.type === 'reconnecting') setNotice(`The connection dropped; reconnecting (attempt ${ev.attempt}).`);
        else if (ev.type === 'folder-done') setFolders((f) => (f[ev.summary.source] ? { ...f, [ev.summary.source]: { ...f[ev.summary.source]!, messagesDone: f[ev.summary.source]!.messagesTotal, bytesDone: f[ev.summary.source]!.bytesTotal, etaSeconds: 0 } } : f));
      }),
    [session],
  );
  if (!source || !target) return <NeedsAccounts session={session} />;

  const start = async (): Promise<void> => {
    setError(null);
    setSummary(null);
    setFailed([]);
    setFolders({});
    try {
      // A second run also repairs: whatever vanished from the new mailbox is copied again.
      const info = await session.api.startSync(source, target, { exclude: session.state.excluded, rename: session.state.renamed, repair: session.state.lastSync !== null });
      jobRef.current = info.id;
      setJob(info.id);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const list = Object.values(folders).filter((f) => f.messagesTotal > 0);
  const total = list.reduce((n, f) => n + f.messagesTotal, 0);
  const done = list.reduce((n, f) => n + f.messagesDone, 0);
  return (
    <section>
      <p>Copies every message with its flags and date. You can stop at any time; running it again continues where it stopped and never makes a duplicate.</p>
      <button type="button" className="primary" onClick={() => void start()} disabled={job !== null}>
        {summary?.cancelled ? 'Resume' : summary ? 'Copy again (new mail only)' : 'Start copying'}
      </button>
      {job && (
        <button type="button" className="secondary" onClick={() => void session.api.cancelJob(job)}>
          Pause
        </button>
      )}
      {job && total > 0 && (
        <div role="status" aria-live="polite">
          <label htmlFor="overall">All folders: {done} of {total} messages</label>
          <progress id="overall" max={total} value={done} />
        </div>
      )}
      {notice && job && <p className="status warning">{notice}</p>}
      {list.length > 0 && (
        <table>
          <caption>Progress per folder</caption>
          <thead>
            <tr><th scope="col">Folder</th><th scope="col">Messages</th><th scope="col">Size</th><th scope="col">Speed</th><th scope="col">Time left</th></tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.folder}>
                <td>{f.folder} → {f.target}</td>
                <td><progress max={f.messagesTotal} value={f.messagesDone} aria-label={`${f.folder} progress`} /> {f.messagesDone}/{f.messagesTotal}</td>
                <td>{mb(f.bytesDone)} of {mb(f.bytesTotal)}</td>
                <td>{mb(f.bytesPerSecond)}/s</td>
                <td>{f.etaSeconds === null ? '…' : f.etaSeconds === 0 ? 'done' : `${f.etaSeconds} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p role="alert" className="status error">{error}</p>}
      {summary && (
        <div role="status" className={`status ${summary.failed.length || summary.folderErrors.length ? 'warning' : 'ok'}`}>
          {summary.cancelled ? 'Paused: “Resume” continues where it stopped, without duplicates. ' : 'Done. '}
          {summary.copied} messages copied, {summary.alreadyPresent} were already there, {summary.flagsUpdated} flag updates.
          {summary.skipped.length > 0 && ` ${summary.skipped.length} left out on purpose (too large).`}
        </div>
      )}
      {(failed.length > 0 || (summary?.failed.length ?? 0) > 0) && (
        <table>
          <caption>Messages the new mailbox refused</caption>
          <thead><tr><th scope="col">Folder</th><th scope="col">Subject</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {(summary?.failed ?? failed).map((m) => (
              <tr key={`${m.folder}-${m.uid}`}><td>{m.folder}</td><td>{m.subject}</td><td>{m.reason}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {summary && (summary.failed.length > 0 ? <button type="button" className="secondary" onClick={() => void start()}>Try the failed ones again</button> : null)}
      <button type="button" className="primary" onClick={() => session.go(nextStep('copy-mail'))} disabled={job !== null || !summary}>
        Next
      </button>
    </section>
  );
}
