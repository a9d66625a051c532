import type { PimUndoSummary } from '../../../shared/pim-types.js';
import type { GraphClient } from '../graph/graph-client.js';
import type { PimKind } from '../state/pim-state.js';
import type { StateStore } from '../state/state-store.js';
import { isMeetingLeftAlone } from './copy-items.js';
import { MailSafeGraph } from './mail-safe-graph.js';
import { findContainer, listOwned } from './owned-items.js';

/**
 * Removes exactly the contacts or events Cutover created in this mailbox: the ones carrying its
 * source-identity property, in the containers it wrote to. Nothing the user made is touched, and an
 * event that has attendees now (the user made it a meeting) is left in place, since deleting it would
 * send every attendee a cancellation; it is listed in `leftAlone`.
 */
export async function undoItems(graphClient: GraphClient, store: StateStore, mailbox: string, kind: PimKind, defaultContainer: string): Promise<PimUndoSummary> {
  const graph = new MailSafeGraph(graphClient);
  const summary: PimUndoSummary = { deleted: 0, failed: [], leftAlone: [] };
  const state = store.pim;
  const top = kind === 'contact' ? '/me/contactFolders' : '/me/calendars';
  const containers = new Set(state.containers(mailbox, kind));
  const named = await findContainer(graph, top, defaultContainer);
  if (named) containers.add(named);
  // Items recorded as copied; intents to create (pending) are kept for the next copy.
  const keys = new Set([...state.rows(mailbox, kind)].filter(([, r]) => r.state === 'done').map(([k]) => k));
  for (const container of containers) {
    const owned = [...(await listOwned(graph, kind === 'contact' ? `/me/contactFolders/${container}/contacts` : `/me/calendars/${container}/events`))];
    const answers = await graph.batch(owned.map(([, item], n) => ({ id: String(n), method: 'DELETE' as const, url: kind === 'contact' ? `/me/contacts/${item.id}` : `/me/events/${item.id}` })));
    for (const [n, answer] of answers.entries()) {
      const [key, item] = owned[n]!;
      if (answer.status === 204 || answer.status === 200 || answer.status === 404) {
        // Deleted now, or gone already: the next copy creates it again, with a new create key.
        state.undone(mailbox, kind, key);
        keys.delete(key);
        if (answer.status !== 404) summary.deleted++;
      } else if (isMeetingLeftAlone(answer)) {
        keys.delete(key);
        const body = answer.body as { error: { message: string }; subject?: string | null };
        summary.leftAlone.push({ id: item.id, subject: body.subject ?? null, reason: body.error.message });
      } else {
        keys.delete(key);
        const e = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
        summary.failed.push({ id: item.id, reason: `Microsoft Graph answered ${answer.status}${e ? `: ${`${e.code ?? ''} ${e.message ?? ''}`.trim()}` : ''}` });
      }
    }
  }
  // Rows whose item is gone already (deleted by hand) are simply forgotten.
  for (const key of keys) state.forget(mailbox, kind, key);
  return summary;
}
