import { DEFAULT_PIM_FOLDER, type GraphBody, type PimCopySummary } from '../../../shared/pim-types.js';
import { copyIntoContainer, type CopyRequest, type ItemKindSpec } from '../pim/copy-items.js';
import type { InternalContactsPlan, PlannedContact } from './plan-contacts.js';

export const DEFAULT_CONTACTS_FOLDER = DEFAULT_PIM_FOLDER.contacts;

/**
 * Every contact field the mapper can produce, with what clears it: a PATCH sends each one the source
 * no longer has as null (or [] for a collection), so a phone, address or category removed at the
 * source goes in Microsoft 365 too; PATCH otherwise keeps absent properties
 * (https://learn.microsoft.com/en-us/graph/api/contact-update). displayName is always set.
 */
export const CONTACT_CLEARABLE_FIELDS: Record<string, null | []> = {
  givenName: null,
  middleName: null,
  surname: null,
  title: null,
  generation: null,
  nickName: null,
  yomiGivenName: null,
  yomiSurname: null,
  companyName: null,
  department: null,
  jobTitle: null,
  profession: null,
  emailAddresses: [],
  mobilePhone: null,
  businessPhones: [],
  homePhones: [],
  homeAddress: null,
  businessAddress: null,
  otherAddress: null,
  birthday: null,
  spouseName: null,
  businessHomePage: null,
  imAddresses: [],
  categories: [],
  personalNotes: null,
};

/** The PATCH body: the planned body with every absent mapped field cleared. */
export function contactPatchBody(c: PlannedContact): GraphBody {
  return { ...CONTACT_CLEARABLE_FIELDS, ...c.graph };
}

const contactSpec: ItemKindSpec<PlannedContact> = {
  kind: 'contact',
  containers: '/me/contactFolders',
  collection: (id) => `/me/contactFolders/${id}/contacts`,
  item: (id) => `/me/contacts/${id}`,
  createBody: (c) => c.graph,
  patchBody: contactPatchBody,
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
