import { useState } from 'react';
import type { PimPreview, PimSource } from '../../shared/app-api.js';
import { FILE_LIMITS, megabytes } from '../../shared/chosen-files.js';
import type { PimCopySummary } from '../../shared/pim-types.js';
import { nextStep, type Session } from '../app.js';
import { errorText } from '../api/web-client.js';

type Kind = 'contacts' | 'calendar';

function Part({ session, kind }: { session: Session; kind: Kind }) {
  const [mode, setMode] = useState<'files' | 'dav'>('files');
  const [source, setSource] = useState<PimSource | null>(null);
  const [dav, setDav] = useState({ url: '', user: session.state.source?.user ?? '', password: '' });
  const [preview, setPreview] = useState<PimPreview | null>(null);
  const [result, setResult] = useState<PimCopySummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = session.state.target;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const what = kind === 'contacts' ? 'contacts' : 'events';
  const look = async (next: PimSource): Promise<void> => {
    setError(null);
    setResult(null);
    setSource(next);
    setBusy(true);
    try {
      setPreview(await session.api.previewPim(kind, next, zone));
    } catch (err) {
      setPreview(null);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  // The host takes the files (upload or the app's dialog) and hands back references.
  const choose = async (): Promise<void> => {
    setError(null);
    try {
      const chosen = await session.api.chooseFiles(kind);
      if (chosen.length === 0) return;
      await look({ kind: 'files', files: chosen.map(({ ref, name }) => ({ ref, name })) });
    } catch (err) {
      setPreview(null);
      setError(errorText(err));
    }
  };
  const copy = async (): Promise<void> => {
    if (target?.kind !== 'm365' || !source) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await session.api.copyPim(kind, source, target.user, zone));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const id = `${kind}-files`;
  return (
    <section aria-labelledby={`${kind}-title`}>
      <h2 id={`${kind}-title`}>{kind === 'contacts' ? 'Contacts' : 'Calendar'}</h2>
      <fieldset>
        <legend>Read from</legend>
        <label>
          <input type="radio" name={`${kind}-mode`} style={{ width: 'auto' }} checked={mode === 'files'} onChange={() => setMode('files')} /> Exported files
        </label>
        <label>
          <input type="radio" name={`${kind}-mode`} style={{ width: 'auto' }} checked={mode === 'dav'} onChange={() => setMode('dav')} /> The old provider’s {kind === 'contacts' ? 'CardDAV' : 'CalDAV'} server
        </label>
      </fieldset>
      {mode === 'files' ? (
        <>
          <button type="button" id={id} className="secondary" disabled={busy} aria-describedby={`${id}-limits`} onClick={() => void choose()}>
            {kind === 'contacts' ? 'Choose address book exports (.vcf)' : 'Choose calendar exports (.ics)'}
          </button>
          <p id={`${id}-limits`} className="hint">
            Up to {FILE_LIMITS.maxFiles} files, {megabytes(FILE_LIMITS.maxFileBytes)} each and {megabytes(FILE_LIMITS.maxTotalBytes)} together.
          </p>
        </>
      ) : (
        <>
          <label htmlFor={`${id}-url`}>{kind === 'contacts' ? 'CardDAV' : 'CalDAV'} address</label>
          <input id={`${id}-url`} type="url" value={dav.url} placeholder="https://dav.example.org/" onChange={(e) => setDav({ ...dav, url: e.target.value.trim() })} />
          <label htmlFor={`${id}-user`}>{kind === 'contacts' ? 'CardDAV' : 'CalDAV'} user name</label>
          <input id={`${id}-user`} value={dav.user} onChange={(e) => setDav({ ...dav, user: e.target.value })} />
          <label htmlFor={`${id}-password`}>{kind === 'contacts' ? 'CardDAV' : 'CalDAV'} password</label>
          <input id={`${id}-password`} type="password" value={dav.password} onChange={(e) => setDav({ ...dav, password: e.target.value })} />
          <button type="button" className="secondary" disabled={busy || !dav.url || !dav.user || !dav.password} onClick={() => void look({ kind: 'dav', ...dav })}>
            Read from the server
          </button>
        </>
      )}
      {preview && (
        <div role="status" className="status">
          {preview.items} {what} can be copied{preview.warnings ? ` (${preview.warnings} with a note about what did not fit)` : ''}.
          {preview.skipped.length > 0 && (
            <ul>
              {preview.skipped.map((s, i) => (
                <li key={i}>{s.source.file} {s.source.uid}: {s.reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {preview && preview.items > 0 && (
        <button type="button" className="primary" disabled={busy || target?.kind !== 'm365'} onClick={() => void copy()}>
          {busy ? 'Copying…' : `Copy ${preview.items} ${what} to Microsoft 365`}
        </button>
      )}
      {target?.kind !== 'm365' && preview && <p className="hint">Copying needs Microsoft 365 as the new mailbox.</p>}
      {result && (
        <p role="status" className={`status ${result.failed.length ? 'warning' : 'ok'}`}>
          Into “{result.folder}”: {result.created} created, {result.updated} updated, {result.unchanged} unchanged. Nobody was sent any e-mail.
          {result.failed.length > 0 && ` ${result.failed.length} could not be copied: ${result.failed.map((f) => f.reason).join('; ')}`}
        </p>
      )}
      {error && <p role="alert" className="status error">{error}</p>}
    </section>
  );
}

export function ContactsCalendarStep({ session }: { session: Session }) {
  return (
    <div>
      <p>Export your address book and calendar from the old provider (usually “Export” as .vcf and .ics) and choose the files. Cutover shows what it can carry over before anything is copied, and never sends an invitation to anyone.</p>
      <Part session={session} kind="contacts" />
      <Part session={session} kind="calendar" />
      <button type="button" className="primary" onClick={() => session.go(nextStep('contacts-calendar'))}>
        Next
      </button>
    </div>
  );
}
