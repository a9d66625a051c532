import type { PimUndoSummary } from '../../../shared/pim-types.js';
import type { GraphClient } from '../graph/graph-client.js';
import { openDatabase } from '../state/open-database.js';
import { PimState, type PimKind } from '../state/pim-state.js';
import { findContainer, listOwned } from './copy-items.js';
import { MailSafeGraph } from './mail-safe-graph.js';

/**
 * Removes exactly the contacts or events Cutover created in this mailbox: the ones carrying its
 * source-identity property, in the containers it wrote to. Nothing the user made is touched.
 */
export async function undoItems(graphClient: GraphClient, stateDir: string, mailbox: string, kind: PimKind, defaultContainer: string): Promise<PimUndoSummary> {
  const graph = new MailSafeGraph(graphClient);
  const db = openDatabase(stateDir);
  const summary: PimUndoSummary = { deleted: 0, failed: [] };
  try {
    const state = new PimState(db);
    const top = kind === 'contact' ? '/me/contactFolders' : '/me/calendars';
    const containers = new Set(state.containers(mailbox, kind));
    const named = await findContainer(graph, top, defaultContainer);
    if (named) containers.add(named);
    const keys = new Set(state.rows(mailbox, kind).keys());
    for (const container of containers) {
      const owned = await listOwned(graph, kind === 'contact' ? `/me/contactFolders/${container}/contacts` : `/me/calendars/${container}/events`);
      for (const [key, id] of owned) {
        try {
          await graph.delete(kind === 'contact' ? `/me/contacts/${id}` : `/me/events/${id}`);
          state.forget(mailbox, kind, key);
          keys.delete(key);
          summary.deleted++;
        } catch (err) {
          summary.failed.push({ id, reason: (err as Error).message });
        }
      }
    }
    // Rows whose item is gone already (deleted by hand) are simply forgotten.
    for (const key of keys) state.forget(mailbox, kind, key);
  } finally {
    db.close();
  }
  return summary;
}
