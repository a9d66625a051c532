import { Button, Card, CardHeader, Checkbox, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, Subtitle1, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { PimPreview, PimSource } from '../../shared/app-api.js';
import { FILE_LIMITS } from '../../shared/chosen-files.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { OutlookFileInfo, PimCopySummary } from '../../shared/pim-types.js';
import type { Session } from '../session.js';
import { problemOf } from '../api/problem-of.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { StepForm } from '../shell/step-form.js';
import { checkWebAddress } from '../words/field-checks.js';
import { count, megabytes, plural } from '../words/numbers.js';
import { PimFolderField, PimUndo } from './pim-undo.js';

type Kind = 'contacts' | 'calendar';

const NOUN = { contacts: ['contact', 'contacts'], calendar: ['event', 'events'] } as const;

function Part({ session, kind }: { session: Session; kind: Kind }) {
  const [mode, setMode] = useState<'files' | 'outlook' | 'dav'>('files');
  const [dataFile, setDataFile] = useState<{ file: { ref: string; name: string }; info: OutlookFileInfo; picked: string[] } | null>(null);
  const [source, setSource] = useState<PimSource | null>(null);
  const [dav, setDav] = useState({ url: '', user: session.state.source?.user ?? '', password: '' });
  const [davShown, setDavShown] = useState(false);
  const [preview, setPreview] = useState<PimPreview | null>(null);
  const [result, setResult] = useState<PimCopySummary | null>(null);
  const [problem, setProblem] = useState<{ data: CutoverErrorData; role: 'dav' | 'target' | 'engine' } | null>(null);
  const [busy, setBusy] = useState<'reading' | 'copying' | null>(null);
  const [folder, setFolder] = useState('');
  const target = session.state.target;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [one, many] = NOUN[kind];
  const server = kind === 'contacts' ? 'CardDAV' : 'CalDAV';
  const look = async (next: PimSource): Promise<void> => {
    setProblem(null);
    setResult(null);
    setSource(next);
    setBusy('reading');
    try {
      setPreview(await session.api.previewPim(kind, next, zone));
    } catch (err) {
      setPreview(null);
      setProblem({ data: problemOf(err), role: next.kind === 'dav' ? 'dav' : 'engine' });
    } finally {
      setBusy(null);
    }
  };
  // The host takes the files (an upload to the web host, or the app's own dialog) and hands back references.
  const choose = async (): Promise<void> => {
    setProblem(null);
    try {
      const chosen = await session.api.chooseFiles(kind);
      if (chosen.length === 0) return;
      await look({ kind: 'files', files: chosen.map(({ ref, name }) => ({ ref, name })) });
    } catch (err) {
      setPreview(null);
      setProblem({ data: problemOf(err), role: 'engine' });
    }
  };
  const copy = async (): Promise<void> => {
    if (target?.kind !== 'm365' || !source) return;
    setBusy('copying');
    setProblem(null);
    try {
      setResult(await session.api.copyPim(kind, source, target.user, zone, folder.trim() || null));
    } catch (err) {
      setProblem({ data: problemOf(err), role: 'target' });
    } finally {
      setBusy(null);
    }
  };
  // Outlook's data file: one file, read in place; its folders of this kind are listed to pick from.
  const chooseDataFile = async (): Promise<void> => {
    setProblem(null);
    setPreview(null);
    setResult(null);
    try {
      const [file] = await session.api.chooseFiles('outlook');
      if (!file) return;
      setBusy('reading');
      const info = await session.api.outlookFile({ ref: file.ref, name: file.name });
      const mine = info.folders.filter((f) => f.kind === kind);
      setDataFile({ file: { ref: file.ref, name: file.name }, info, picked: mine.filter((f) => f.suggested).map((f) => f.id) });
    } catch (err) {
      setDataFile(null);
      setProblem({ data: problemOf(err), role: 'engine' });
    } finally {
      setBusy(null);
    }
  };
  const readDataFile = (): void => {
    if (!dataFile || dataFile.picked.length === 0) return;
    void look({ kind: 'files', files: [dataFile.file], folders: dataFile.picked });
  };
  const urlProblem = davShown ? checkWebAddress(dav.url) : null;
  const readDav = (): void => {
    setDavShown(true);
    if (checkWebAddress(dav.url) || !dav.user.trim() || !dav.password) return;
    void look({ kind: 'dav', url: dav.url.trim(), user: dav.user.trim(), password: dav.password });
  };
  const id = `${kind}-files`;
  return (
    <Card aria-labelledby={`${kind}-title`}>
      <CardHeader
        header={
          <Subtitle1 as="h2" id={`${kind}-title`}>
            {kind === 'contacts' ? 'Contacts' : 'Calendar'}
          </Subtitle1>
        }
      />
      <Field label="Read from">
        <RadioGroup layout="horizontal" value={mode} onChange={(_e, d) => setMode(d.value === 'dav' ? 'dav' : d.value === 'outlook' ? 'outlook' : 'files')}>
          <Radio value="files" label="Exported files" />
          <Radio value="outlook" label="From Outlook’s data file" />
          <Radio value="dav" label={`The old provider’s ${server} server`} />
        </RadioGroup>
      </Field>
      {mode === 'outlook' ? (
        <div className="stack">
          <Text id={`${kind}-pst-where`} size={200}>
            Outlook keeps each account’s mail, contacts and calendar in one data file. On Windows it is usually in Documents\Outlook Files (a .pst) or in
            %LOCALAPPDATA%\Microsoft\Outlook (a .ost). Outlook for Mac keeps no such file; a .pst copied from a Windows computer can be chosen. Close Outlook
            first. Cutover only reads the file.
          </Text>
          <Button appearance="secondary" disabled={busy !== null} aria-describedby={`${kind}-pst-where`} onClick={() => void chooseDataFile()}>
            Choose Outlook’s data file (.pst, .ost)
          </Button>
          {dataFile && <DataFileFolders kind={kind} dataFile={dataFile} onPick={(picked) => setDataFile({ ...dataFile, picked })} />}
          {dataFile && dataFile.info.folders.some((f) => f.kind === kind) && (
            <div className="row">
              <Button disabled={busy !== null || dataFile.picked.length === 0} onClick={readDataFile}>
                Read the chosen folders
              </Button>
            </div>
          )}
        </div>
      ) : mode === 'files' ? (
        <div className="stack">
          <Button id={id} appearance="secondary" disabled={busy !== null} aria-describedby={`${id}-limits`} onClick={() => void choose()}>
            {kind === 'contacts' ? 'Choose address book exports (.vcf, .csv)' : 'Choose calendar exports (.ics)'}
          </Button>
          <Text id={`${id}-limits`} size={200}>
            You can choose several files at once: up to {FILE_LIMITS.maxFiles} files, {megabytes(FILE_LIMITS.maxFileBytes)} each and {megabytes(FILE_LIMITS.maxTotalBytes)} together.
          </Text>
        </div>
      ) : (
        <div className="stack">
          <Field label={`${server} address`} validationMessage={urlProblem ?? undefined} validationState={urlProblem ? 'error' : 'none'}>
            <Input type="url" value={dav.url} maxLength={2048} placeholder="https://dav.example.org/" onChange={(_e, d) => setDav({ ...dav, url: d.value })} />
          </Field>
          <div className="field-pair">
            <Field label={`${server} user name`} validationMessage={davShown && !dav.user.trim() ? 'Enter the user name.' : undefined} validationState={davShown && !dav.user.trim() ? 'error' : 'none'}>
              <Input value={dav.user} maxLength={320} onChange={(_e, d) => setDav({ ...dav, user: d.value })} />
            </Field>
            <Field label={`${server} password`} validationMessage={davShown && !dav.password ? 'Enter the password.' : undefined} validationState={davShown && !dav.password ? 'error' : 'none'}>
              <Input type="password" value={dav.password} maxLength={1024} onChange={(_e, d) => setDav({ ...dav, password: d.value })} />
            </Field>
          </div>
          <div className="row">
            <Button disabled={busy !== null} onClick={readDav}>
              Read from the server
            </Button>
          </div>
        </div>
      )}
      {busy === 'reading' && <Spinner size="tiny" label="Reading…" labelPosition="after" />}
      {preview && <PreviewCard preview={preview} kind={kind} />}
      {preview && preview.items > 0 && !result && <PimFolderField kind={kind} value={folder} onChange={setFolder} disabled={busy !== null} />}
      {preview && preview.items > 0 && !result && (
        <div className="row">
          <Button disabled={busy !== null} onClick={() => void copy()}>
            {busy === 'copying' ? 'Copying…' : `Copy ${plural(preview.items, one, many)} to Microsoft 365`}
          </Button>
        </div>
      )}
      {result && (
        <MessageBar intent={result.failed.length ? 'warning' : 'success'} role="status" layout="multiline" className={`pim-result ${kind}-result`}>
          <MessageBarBody>
            Into “{result.folder}”: {count(result.created)} created, {count(result.updated)} updated, {count(result.unchanged)} unchanged. Nobody was sent any e-mail.
            {result.failed.length > 0 && ` ${plural(result.failed.length, `${one} could`, `${many} could`)} not be copied: ${result.failed.map((f) => f.reason).join('; ')}`}
          </MessageBarBody>
        </MessageBar>
      )}
      {problem && <ProblemNotice problem={problem.data} context={{ role: problem.role }} session={session} here="contacts-calendar" />}
      <PimUndo session={session} kind={kind} folder={folder} />
    </Card>
  );
}

/** The contacts or calendar folders of a data file, to tick; Outlook's own folders are ticked at first. */
function DataFileFolders({ kind, dataFile, onPick }: { kind: Kind; dataFile: { info: OutlookFileInfo; picked: string[] }; onPick: (picked: string[]) => void }) {
  const folders = dataFile.info.folders.filter((f) => f.kind === kind);
  const [, many] = NOUN[kind];
  if (folders.length === 0) {
    return (
      <Text role="status">
        {dataFile.info.name} ({dataFile.info.format}) has no {kind === 'contacts' ? 'contacts' : 'calendar'} folder.
      </Text>
    );
  }
  return (
    <fieldset className="stack" aria-describedby={`${kind}-pst-format`}>
      <legend>Folders to read from {dataFile.info.name}</legend>
      <Text id={`${kind}-pst-format`} size={200}>
        {dataFile.info.format}
      </Text>
      {folders.map((f) => (
        <Checkbox
          key={f.id}
          checked={dataFile.picked.includes(f.id)}
          label={`${f.path} (${plural(f.items, one(kind), many)})`}
          onChange={(_e, d) => onPick(d.checked ? [...dataFile.picked, f.id] : dataFile.picked.filter((id) => id !== f.id))}
        />
      ))}
    </fieldset>
  );
}

function one(kind: Kind): string {
  return NOUN[kind][0];
}

/** What was found, before anything is copied: how many, a few of them by name or date, and what will not fit. */
function PreviewCard({ preview, kind }: { preview: PimPreview; kind: Kind }) {
  const [one, many] = NOUN[kind];
  const samples = preview.samples ?? [];
  return (
    <div role="status" className="stack">
      <Text weight="semibold">
        Found {plural(preview.items, one, many)} that can be copied
        {preview.warnings ? ` (${plural(preview.warnings, 'has a note', 'have a note')} about what does not fit)` : ''}
        {preview.skipped.length ? `; ${count(preview.skipped.length)} cannot be copied` : ''}.
      </Text>
      {(preview.formats ?? []).map((f) => (
        <Text key={f.file} size={200}>
          {f.file}: read as {f.format}.
        </Text>
      ))}
      {samples.length > 0 && (
        <ul aria-label={`Some of the ${many} found`}>
          {samples.map((s, i) => (
            <li key={i}>
              {s.title}
              {s.detail && <Text size={200}> · {s.detail}</Text>}
            </li>
          ))}
          {preview.items > samples.length && <li>and {plural(preview.items - samples.length, 'more', 'more')}</li>}
        </ul>
      )}
      {(preview.warningSamples?.length ?? 0) > 0 && (
        <details>
          <summary>Notes about what does not fit</summary>
          <ul>
            {preview.warningSamples!.map((w, i) => (
              <li key={i}>
                {w.title}: {w.note}
              </li>
            ))}
          </ul>
        </details>
      )}
      {preview.skipped.length > 0 && (
        <details>
          <summary>What cannot be copied ({count(preview.skipped.length)})</summary>
          <ul>
            {preview.skipped.map((s, i) => (
              <li key={i}>
                {s.source.file} {s.source.uid}: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {preview.groups.length > 0 && (
        <Text size={200}>
          {plural(preview.groups.length, 'contact group', 'contact groups')} ({preview.groups.map((g) => g.name).join(', ')}) cannot be made in Microsoft 365: their members are copied as contacts.
        </Text>
      )}
    </div>
  );
}

export function ContactsCalendarStep({ session }: { session: Session }) {
  const m365 = session.state.target?.kind === 'm365';
  return (
    <StepForm
      onSubmit={() => session.complete('contacts-calendar')}
      footer={
        <Button type="submit" appearance="primary">
          Next
        </Button>
      }
    >
      {m365 ? (
        <>
          <p>
            Export your address book and calendar from the old provider (usually “Export” as .vcf and .ics, or Outlook’s contacts as .csv) and choose the files, read them from Outlook’s own data
            file, or straight from the old provider’s server. Cutover shows what it found before anything is copied, and never sends an invitation to anyone.
          </p>
          <Part session={session} kind="contacts" />
          <Part session={session} kind="calendar" />
        </>
      ) : (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Not needed for this new mailbox</MessageBarTitle>
            Cutover copies contacts and calendars into Microsoft 365 only. For your new mailbox: export them from the old provider (usually “Export” as .vcf for contacts and .ics for calendars) and
            import those files with your new provider’s own contacts and calendar pages. Your mail is not affected.
          </MessageBarBody>
        </MessageBar>
      )}
    </StepForm>
  );
}
