import { useState } from 'react';
import type { MailAccountInput, TargetInput } from '../../shared/app-api.js';
import type { ExtraCopiesPlan } from '../../shared/compare-types.js';
import type { Session } from '../session.js';
import { count } from './copy-numbers.js';
import { useAction } from './use-action.js';

/**
 * "Remove the extra copies Cutover made": first a preview of exactly what would go (only copies
 * Cutover itself appended beyond the old mailbox's count), then one confirmation, then the
 * comparison again. Copies Cutover cannot prove it made are listed as staying.
 */
export function ExtraCopiesPanel({ session, source, target, onRemoved }: { session: Session; source: MailAccountInput; target: TargetInput; onRemoved: () => Promise<void> }) {
  const action = useAction();
  const [plan, setPlan] = useState<ExtraCopiesPlan | null>(null);
  const [removed, setRemoved] = useState<number | null>(null);
  const preview = (): Promise<void> =>
    action.run(async () => {
      setRemoved(null);
      setPlan(await session.api.previewExtraCopies(source, target));
    });
  const remove = (p: ExtraCopiesPlan): Promise<void> =>
    action.run(async () => {
      const result = await session.api.removeExtraCopies(source, target, p.folders.map(({ source: s, target: t, uidValidity, uids }) => ({ source: s, target: t, uidValidity, uids })));
      setPlan(null);
      setRemoved(result.removed);
      await onRemoved();
    });
  return (
    <div>
      {!plan && (
        <button type="button" className="secondary" onClick={() => void preview()} disabled={action.busy}>
          {action.busy ? 'Looking…' : 'Remove the extra copies Cutover made'}
        </button>
      )}
      {removed !== null && <p role="status" className="status ok">{count(removed)} extra copies removed from the new mailbox.</p>}
      {plan && (
        <div role="region" aria-label="Extra copies">
          <p className="status warning">
            {plan.remove > 0 ? `${count(plan.remove)} copies that Cutover made can be removed from the new mailbox. Nothing else is touched.` : 'None of the extra copies was made by Cutover, so it removes nothing.'}
            {plan.keptUnproven > 0 && ` ${count(plan.keptUnproven)} other extra copies stay: Cutover cannot tell that it made them.`}
          </p>
          <div className="table-scroll">
            <table>
              <caption>Extra copies in the new mailbox</caption>
              <thead><tr><th scope="col">Folder</th><th scope="col">Date</th><th scope="col">Subject</th><th scope="col">Old / new</th><th scope="col">Removed</th></tr></thead>
              <tbody>
                {plan.folders.flatMap((f) =>
                  f.groups.map((g, i) => (
                    <tr key={`${f.source}-${i}`}><td>{f.source}</td><td>{g.date?.slice(0, 10) ?? ''}</td><td>{g.subject}</td><td>{g.sourceCount} / {g.targetCount}</td><td>{g.remove}</td></tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          {plan.remove > 0 && (
            <button type="button" className="primary" onClick={() => void remove(plan)} disabled={action.busy}>
              Remove {count(plan.remove)} copies
            </button>
          )}
          <button type="button" className="secondary" onClick={() => setPlan(null)} disabled={action.busy}>
            Keep everything
          </button>
        </div>
      )}
      {action.error && <p role="alert" className="status error">{action.error}</p>}
    </div>
  );
}
