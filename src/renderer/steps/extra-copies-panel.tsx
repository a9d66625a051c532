import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { MailAccountInput, TargetInput } from '../../shared/app-api.js';
import type { ExtraCopiesPlan } from '../../shared/compare-types.js';
import type { Session } from '../session.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { count, day, plural } from '../words/numbers.js';
import { useAction } from './use-action.js';

/**
 * "Remove the extra copies Cutover made": first a preview of exactly what would go (only copies
 * Cutover itself appended beyond the old mailbox's count), in a dialog that asks once, then the
 * comparison again. Copies Cutover cannot prove it made are listed as staying.
 */
export function ExtraCopiesPanel({ session, source, target, onRemoved }: { session: Session; source: MailAccountInput; target: TargetInput; onRemoved: (removed: number) => Promise<void> }) {
  const action = useAction();
  const [plan, setPlan] = useState<ExtraCopiesPlan | null>(null);
  const preview = (): Promise<void> =>
    action.run(async () => {
      setPlan(await session.api.previewExtraCopies(source, target));
    });
  const remove = (p: ExtraCopiesPlan): Promise<void> =>
    action.run(async () => {
      const result = await session.api.removeExtraCopies(source, target, p.folders.map(({ source: s, target: t, uidValidity, uids }) => ({ source: s, target: t, uidValidity, uids })));
      setPlan(null);
      await onRemoved(result.removed);
    });
  return (
    <div className="stack">
      <div className="row">
        <Button onClick={() => void preview()} disabled={action.busy}>
          {action.busy && !plan ? 'Looking for them…' : 'Remove the extra copies Cutover made'}
        </Button>
      </div>
      {action.problem && !plan && <ProblemNotice problem={action.problem} context={{ role: 'target' }} session={session} here="compare" />}
      <Dialog open={plan !== null} onOpenChange={(_e, d) => !d.open && !action.busy && setPlan(null)}>
        <DialogSurface aria-label="Extra copies">
          {plan && (
            <DialogBody>
              <DialogTitle>{plan.remove > 0 ? `Remove ${plural(plan.remove, 'extra copy', 'extra copies')}?` : 'Nothing to remove'}</DialogTitle>
              <DialogContent className="stack">
                <Text as="p">
                  {plan.remove > 0 ? `${plural(plan.remove, 'copy', 'copies')} that Cutover made can be removed from the new mailbox. One copy of each message stays, and nothing else is touched.` : 'None of the extra copies was made by Cutover, so it removes nothing.'}
                  {plan.keptUnproven > 0 && ` ${plural(plan.keptUnproven, 'other extra copy stays', 'other extra copies stay')}: Cutover cannot tell that it made ${plan.keptUnproven === 1 ? 'it' : 'them'}.`}
                </Text>
                <div className="table-scroll stack-table">
                  <Table size="small" aria-label="Extra copies in the new mailbox">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Folder</TableHeaderCell>
                        <TableHeaderCell>Date</TableHeaderCell>
                        <TableHeaderCell>Subject</TableHeaderCell>
                        <TableHeaderCell>Old / new</TableHeaderCell>
                        <TableHeaderCell>Removed</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {plan.folders.flatMap((f) =>
                        f.groups.map((g, i) => (
                          <TableRow key={`${f.source}-${i}`}>
                            <TableCell data-label="Folder">{f.source}</TableCell>
                            <TableCell data-label="Date">{g.date ? day(g.date) : ''}</TableCell>
                            <TableCell data-label="Subject" className="wrap">
                              {g.subject || '(no subject)'}
                            </TableCell>
                            <TableCell data-label="Old / new">
                              {count(g.sourceCount)} / {count(g.targetCount)}
                            </TableCell>
                            <TableCell data-label="Removed">{count(g.remove)}</TableCell>
                          </TableRow>
                        )),
                      )}
                    </TableBody>
                  </Table>
                </div>
                {action.problem && <ProblemNotice problem={action.problem} context={{ role: 'target' }} session={session} here="compare" />}
              </DialogContent>
              <DialogActions>
                <Button onClick={() => setPlan(null)} disabled={action.busy}>
                  {plan.remove > 0 ? 'Keep everything' : 'Close'}
                </Button>
                {plan.remove > 0 && (
                  <Button appearance="primary" onClick={() => void remove(plan)} disabled={action.busy}>
                    {action.busy ? 'Removing…' : `Remove ${plural(plan.remove, 'copy', 'copies')}`}
                  </Button>
                )}
              </DialogActions>
            </DialogBody>
          )}
        </DialogSurface>
      </Dialog>
    </div>
  );
}
