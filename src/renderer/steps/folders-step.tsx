import { useEffect, useState } from 'react';
import type { FolderMapping } from '../../shared/folder-mapping.js';
import { nextStep, type Session } from '../app.js';
import { errorText } from '../api/web-client.js';
import { NeedsAccounts } from './needs-accounts.js';

const WHY: Record<FolderMapping['reason'], string> = {
  inbox: 'Inbox',
  'special-use': 'special folder',
  'well-known-name': 'recognised by its name',
  'same-name': 'same name',
  'inside-mapped-parent': 'inside a moved folder',
  'user-rename': 'renamed by you',
  'user-excluded': 'left out',
  'not-selectable': 'holds only subfolders',
};

export function FoldersStep({ session }: { session: Session }) {
  const [mapping, setMapping] = useState<FolderMapping[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const source = session.source();
  const target = session.target();
  useEffect(() => {
    if (!source || !target) return;
    session.api.planFolders(source, target).then(setMapping, (err: unknown) => setError(errorText(err)));
  }, []);
  if (!source || !target) return <NeedsAccounts session={session} />;
  const { excluded, renamed } = session.state;
  const toggle = (path: string): void => session.update({ excluded: excluded.includes(path) ? excluded.filter((p) => p !== path) : [...excluded, path] });
  const rename = (path: string, value: string): void => {
    const next = { ...renamed };
    if (value.trim()) next[path] = value.trim();
    else delete next[path];
    session.update({ renamed: next });
  };
  return (
    <section>
      <p>Each folder of the old mailbox and where it will go. Untick a folder to leave it out, or type another name for it.</p>
      {error && <p role="alert" className="status error">{error}</p>}
      {!mapping && !error && <p role="status">Reading both mailboxes…</p>}
      {mapping && (
        <table>
          <caption>Folder mapping</caption>
          <thead>
            <tr><th scope="col">Copy</th><th scope="col">Old mailbox</th><th scope="col">New mailbox</th><th scope="col">Why</th></tr>
          </thead>
          <tbody>
            {mapping.map((m) => (
              <tr key={m.source}>
                <td>
                  <input type="checkbox" style={{ width: 'auto' }} aria-label={`Copy ${m.source}`} checked={!excluded.includes(m.source)} disabled={!m.selectable} onChange={() => toggle(m.source)} />
                </td>
                <td>{m.source}</td>
                <td>
                  <input aria-label={`New name for ${m.source}`} placeholder={m.target ?? ''} value={renamed[m.source] ?? ''} disabled={excluded.includes(m.source)} onChange={(e) => rename(m.source, e.target.value)} />
                </td>
                <td className="hint">{WHY[m.reason]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="primary" onClick={() => session.go(nextStep('folders'))} disabled={!mapping}>
        Next
      </button>
    </section>
  );
}
