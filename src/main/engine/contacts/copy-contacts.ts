import type { PimCopySummary } from '../../../shared/pim-types.js';
import { copyIntoContainer, type CopyRequest, type ItemKindSpec } from '../pim/copy-items.js';
import type { InternalContactsPlan, PlannedContact } from './plan-contacts.js';

export const DEFAULT_CONTACTS_FOLDER = 'Contacts from old mailbox';

const contactSpec: ItemKindSpec<PlannedContact> = {
  kind: 'contact',
  containers: '/me/contactFolders',
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

/** One click: every planned contact into one folder (by default a new one, so nothing mixes). */
export function copyContacts(plan: InternalContactsPlan, req: CopyRequest): Promise<PimCopySummary> {
  return copyIntoContainer(req, contactSpec, DEFAULT_CONTACTS_FOLDER, plan.items, { skipped: plan.skipped, groups: plan.groups });
}
