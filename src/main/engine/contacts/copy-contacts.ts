import type { PimCopySummary } from '../../../shared/pim-types.js';
import type { GraphClient } from '../graph/graph-client.js';
import { copyItems, ensureContainer, type ItemKindSpec } from '../pim/copy-items.js';
import { MailSafeGraph } from '../pim/mail-safe-graph.js';
import { openDatabase } from '../state/open-database.js';
import { PimState } from '../state/pim-state.js';
import type { InternalContactsPlan, PlannedContact } from './plan-contacts.js';

export const DEFAULT_CONTACTS_FOLDER = 'Contacts from old mailbox';

const contactSpec: ItemKindSpec<PlannedContact> = {
  kind: 'contact',
  collection: (id) => `/me/contactFolders/${id}/contacts`,
  item: (id) => `/me/contacts/${id}`,
  patchBody: (c) => c.graph,
  afterWrite: async (graph, id, c) => {
    if (!c.photo) return [];
    try {
      await graph.putBinary(`/me/contacts/${id}/photo/$value`, c.photo.data, c.photo.contentType);
      return [];
    } catch (err) {
      return [`the photo was not stored: ${(err as Error).message}`];
    }
  },
};

export interface CopyRequest {
  graph: GraphClient;
  stateDir: string;
  mailbox: string;
  folderName?: string | null;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
}

/** One click: every planned contact into one folder (by default a new one, so nothing mixes). */
export async function copyContacts(plan: InternalContactsPlan, req: CopyRequest): Promise<PimCopySummary> {
  const safe = new MailSafeGraph(req.graph);
  const folder = req.folderName ?? DEFAULT_CONTACTS_FOLDER;
  const summary: PimCopySummary = { folder, created: 0, updated: 0, unchanged: 0, failed: [], skipped: [...plan.skipped], groups: plan.groups };
  const db = openDatabase(req.stateDir);
  try {
    const folderId = await ensureContainer(safe, '/me/contactFolders', folder);
    await copyItems(safe, new PimState(db), req.mailbox, contactSpec, folderId, plan.items, summary, {
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
  } finally {
    db.close();
  }
  return summary;
}
