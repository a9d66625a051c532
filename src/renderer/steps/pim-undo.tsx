import { Button, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState } from 'react';
import type { CutoverErrorData } from '../../shared/errors.js';
import { DEFAULT_PIM_FOLDER, type PimUndoSummary } from '../../shared/pim-types.js';
import { problemOf } from '../api/problem-of.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import type { Session } from '../session.js';
import { count, plural } from '../words/numbers.js';

type Kind = 'contacts' | 'calendar';

const NOUN = { contacts: ['contact', 'contacts'], calendar: ['event', 'events'] } as const;

/** The contacts folder or calendar to copy into, by name; empty means Cutover's own. */
export function PimFolderField({ kind, value, onChange, disabled }: { kind: Kind; value: string; onChange: (v: string) => void; disabled: boolean }) {
  return (
    <Field label={kind === 'contacts' ? 'Copy into the contacts folder' : 'Copy into the calendar'} hint="Made when it does not exist yet. Empty: the one Cutover makes for them.">
      <Input value={value} placeholder={DEFAULT_PIM_FOLDER[kind]} maxLength={255} disabled={disabled} onChange={(_e, d) => onChange(d.value)} />
    </Field>
  );
}

/**
 * Removes what Cutover created in the folder or calendar named above, after the person confirms:
 * only items carrying Cutover's mark; events that became meetings are left alone (deleting them
 * would send cancellations) and said so.
 */
export function PimUndo({ session, kind, folder }: { session: Session; kind: Kind; folder: string }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PimUndoSummary | null>(null);
  const [problem, setProblem] = useState<CutoverErrorData | null>(null);
  const target = session.state.target;
  if (target?.kind !== 'm365') return null;
  const [one, many] = NOUN[kind];
  const where = folder.trim() || DEFAULT_PIM_FOLDER[kind];
  const undo = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      setResult(await session.api.undoPim(kind, target.user, folder.trim() || null));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <div className="stack">
      {!asking ? (
        <div className="row">
          <Button appearance="subtle" disabled={busy} onClick={() => setAsking(true)}>
            Remove the {many} Cutover copied into “{where}”…
          </Button>
        </div>
      ) : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            Remove every {one} Cutover created in “{where}”? {kind === 'contacts' ? 'Contacts' : 'Events'} you made yourself stay.
            <div className="row">
              <Button appearance="primary" disabled={busy} onClick={() => void undo()}>
                {busy ? 'Removing…' : 'Remove them'}
              </Button>
              <Button disabled={busy} onClick={() => setAsking(false)}>
                Keep them
              </Button>
            </div>
          </MessageBarBody>
        </MessageBar>
      )}
      {result && (
        <MessageBar intent={result.failed.length ? 'warning' : 'success'} role="status" layout="multiline" className={`pim-undo ${kind}-undo`}>
          <MessageBarBody>
            Removed {plural(result.deleted, one, many)} Cutover had created.
            {result.failed.length > 0 && ` ${count(result.failed.length)} could not be removed.`}
            {result.leftAlone.length > 0 && ` ${plural(result.leftAlone.length, 'event has', 'events have')} attendees now and stay: removing them would send each attendee a cancellation.`}
          </MessageBarBody>
        </MessageBar>
      )}
      {problem && <ProblemNotice problem={problem} context={{ role: 'target' }} session={session} here="contacts-calendar" />}
    </div>
  );
}
