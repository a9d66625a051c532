import { Button, Caption1, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import type { WizardStep } from '../../shared/app-api.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { Session } from '../session.js';
import { SIDE_WORDS, wordsFor, type ProblemContext } from '../words/problems.js';

/** Codes whose details only the log has: offer to open it. */
const SEE_LOG = new Set(['internal', 'server-refused', 'graph-error', 'state-corrupt']);

/**
 * A failed action in the app's own words: what happened, on whose side, what to do, and a button to
 * the step that fixes it (when that is another step). The engine's message is never shown.
 */
export function ProblemNotice({
  problem,
  context,
  session,
  here,
  children,
}: {
  problem: Pick<CutoverErrorData, 'code'>;
  context: Omit<ProblemContext, 'target'>;
  session: Session;
  here: WizardStep;
  /** Facts of this page to add (which folders, what was kept), in the app's words. */
  children?: ReactNode;
}) {
  const words = wordsFor(problem, { ...context, target: session.state.target?.kind ?? null });
  const [log, setLog] = useState<string | null>(null);
  const intent = problem.code === 'cancelled' || problem.code === 'throttled' ? 'warning' : 'error';
  return (
    <div role="alert">
      <MessageBar intent={intent} layout="multiline" data-code={problem.code}>
        <MessageBarBody>
          <MessageBarTitle>{words.title}</MessageBarTitle> {words.todo}
          {children && <div>{children}</div>}
          <div>
            <Caption1>{SIDE_WORDS[words.side]}.</Caption1>
          </div>
          {log && <div>The log is in {log} on the computer running Cutover.</div>}
        </MessageBarBody>
        <MessageBarActions>
          {words.fix && words.fix.step !== here && <Button onClick={() => session.go(words.fix!.step)}>{words.fix.label}</Button>}
          {SEE_LOG.has(problem.code) && <Button onClick={() => void session.api.openLogFolder().then((r) => setLog(r.opened ? null : r.path), () => undefined)}>Open the log folder</Button>}
        </MessageBarActions>
      </MessageBar>
    </div>
  );
}
