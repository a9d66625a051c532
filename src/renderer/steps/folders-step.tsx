import { Button, Checkbox, Input, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { FolderMapping } from '../../shared/folder-mapping.js';
import type { Session } from '../session.js';
import { problemOf } from '../api/problem-of.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { StepForm } from '../shell/step-form.js';
import { plural } from '../words/numbers.js';
import { CopyChoices } from './copy-choices.js';
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
  const [problem, setProblem] = useState<CutoverErrorData | null>(null);
  const source = session.source();
  const target = session.target();
  const load = (): void => {
    if (!source || !target) return;
    setProblem(null);
    session.api.planFolders(source, target).then(setMapping, (err: unknown) => setProblem(problemOf(err)));
  };
  useEffect(load, []);
  if (!source || !target) return <NeedsAccounts session={session} />;
  const { excluded, renamed } = session.state;
  const toggle = (path: string): void => session.update({ excluded: excluded.includes(path) ? excluded.filter((p) => p !== path) : [...excluded, path] });
  const rename = (path: string, value: string): void => {
    const next = { ...renamed };
    // Leading spaces are dropped; inner ones stay ("My folder" must be typeable).
    if (value.trim()) next[path] = value.replace(/^\s+/, '');
    else delete next[path];
    session.update({ renamed: next });
  };
  const copied = mapping?.filter((m) => m.selectable && !excluded.includes(m.source)).length ?? 0;
  const left = mapping?.filter((m) => m.selectable && excluded.includes(m.source)).length ?? 0;
  return (
    <StepForm
      onSubmit={() => (mapping ? session.complete('folders') : load())}
      footer={
        <>
          {mapping && <span className="footer-note">{`${plural(copied, 'folder', 'folders')} will be copied${left ? `, ${plural(left, 'folder', 'folders')} left out` : ''}.`}</span>}
          <Button type="submit" appearance="primary" disabled={!mapping && !problem}>
            {mapping || !problem ? 'Next' : 'Try again'}
          </Button>
        </>
      }
    >
      <p>Each folder of the old mailbox and where it will go. Untick a folder to leave it out, or type another name for it.</p>
      {problem && <ProblemNotice problem={problem} context={{ role: 'engine' }} session={session} here="folders" />}
      {!mapping && !problem && <Spinner size="tiny" label="Reading both mailboxes…" labelPosition="after" />}
      {mapping && (
        <div className="table-scroll">
          <Table aria-label="Folder mapping" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Copy</TableHeaderCell>
                <TableHeaderCell>Old mailbox</TableHeaderCell>
                <TableHeaderCell>New mailbox</TableHeaderCell>
                <TableHeaderCell>Why</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {mapping.map((m) => (
                <TableRow key={m.source}>
                  <TableCell>
                    <Checkbox aria-label={`Copy ${m.source}`} checked={m.selectable && !excluded.includes(m.source)} disabled={!m.selectable} onChange={() => toggle(m.source)} />
                  </TableCell>
                  <TableCell>{m.source}</TableCell>
                  <TableCell>
                    <Input
                      size="small"
                      aria-label={`New name for ${m.source}`}
                      placeholder={m.target ?? ''}
                      value={renamed[m.source] ?? ''}
                      maxLength={1000}
                      disabled={excluded.includes(m.source) || !m.selectable}
                      onChange={(_e, d) => rename(m.source, d.value)}
                    />
                  </TableCell>
                  <TableCell>
                    <Text size={200}>{WHY[m.reason]}</Text>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {mapping && <CopyChoices session={session} />}
    </StepForm>
  );
}
