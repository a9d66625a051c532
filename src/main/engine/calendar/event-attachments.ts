import type { OwnedItem } from '../pim/owned-items.js';
import type { MailSafeGraph } from '../pim/mail-safe-graph.js';
import { contentHash, CUTOVER_PROPERTY_SET } from '../pim/source-identity.js';
import type { EventAttachment } from './event-mapper.js';

/**
 * Which attachments Cutover put on an event, stamped on the event once they are all stored:
 * {"hash": of names and contents, "names": [...]}. An update compares the hash and touches attachments
 * only when they changed, replacing exactly the ones Cutover added (by name) and leaving any the user
 * added in Outlook; so an update never adds the same attachment twice.
 */
export const ATTACHMENTS_PROPERTY = `String ${CUTOVER_PROPERTY_SET} Name CutoverAttachments`;

/**
 * Files from this size go through an upload session, smaller ones in one POST ("If the file size is
 * under 3 MB, do a single POST"; 3–150 MB: an upload session,
 * https://learn.microsoft.com/en-us/graph/outlook-large-attachments). 3 MB is read as 3,000,000 bytes,
 * which keeps the base64 POST under Graph's 4 MB request limit.
 */
export const UPLOAD_SESSION_FROM = 3_000_000;

interface Stamp {
  hash: string;
  names: string[];
}

function stampOf(attachments: EventAttachment[]): Stamp {
  return { hash: contentHash(JSON.stringify(attachments.map((a) => [a.name, a.contentType, contentHash(a.data.toString('base64'))]))), names: attachments.map((a) => a.name) };
}

function readStamp(existing: OwnedItem | null): Stamp | null {
  const raw = existing?.properties.get(ATTACHMENTS_PROPERTY.toLowerCase());
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<Stamp>;
    return typeof v.hash === 'string' && Array.isArray(v.names) && v.names.every((n) => typeof n === 'string') ? { hash: v.hash, names: v.names } : null;
  } catch {
    return null;
  }
}

/**
 * Brings an event's attachments in line with the source: nothing when the stamp matches; otherwise
 * the ones Cutover added before are removed (those named in the old stamp; for events stamped by no
 * run yet, those named like the source's), the source's are added, and the new stamp is set last, so
 * a run that fails half-way does the work again next time. Returns problems, one per attachment.
 */
export async function storeAttachments(graph: MailSafeGraph, eventId: string, attachments: EventAttachment[], existing: OwnedItem | null): Promise<string[]> {
  const wanted = stampOf(attachments);
  const before = readStamp(existing);
  // Unchanged, or nothing to add and nothing of ours to remove.
  if (before?.hash === wanted.hash || (attachments.length === 0 && !before?.names.length)) return [];
  const problems: string[] = [];
  if (existing) {
    const ours = new Set(before?.names ?? wanted.names);
    const present = await graph.getAll<{ id: string; name?: string }>(`/me/events/${eventId}/attachments?$select=id,name`);
    for (const p of present.filter((a) => a.name !== undefined && ours.has(a.name))) {
      try {
        await graph.delete(`/me/events/${eventId}/attachments/${p.id}`);
      } catch (err) {
        problems.push(`the earlier copy of attachment "${p.name}" was not removed: ${(err as Error).message}`);
      }
    }
  }
  for (const a of attachments) {
    try {
      await addAttachment(graph, eventId, a);
    } catch (err) {
      problems.push(`attachment "${a.name}" was not stored: ${(err as Error).message}`);
    }
  }
  if (problems.length === 0) {
    try {
      await graph.patch(`/me/events/${eventId}`, { singleValueExtendedProperties: [{ id: ATTACHMENTS_PROPERTY, value: JSON.stringify(wanted) }] });
    } catch (err) {
      problems.push(`the attachments were stored but not marked as done (the next run stores them again): ${(err as Error).message}`);
    }
  }
  return problems;
}

async function addAttachment(graph: MailSafeGraph, eventId: string, a: EventAttachment): Promise<void> {
  if (a.data.length < UPLOAD_SESSION_FROM) {
    await graph.post(`/me/events/${eventId}/attachments`, { '@odata.type': '#microsoft.graph.fileAttachment', name: a.name, contentType: a.contentType, contentBytes: a.data.toString('base64') });
    return;
  }
  const session = await graph.post<{ uploadUrl?: unknown }>(`/me/events/${eventId}/attachments/createUploadSession`, {
    AttachmentItem: { attachmentType: 'file', name: a.name, size: a.data.length, contentType: a.contentType },
  });
  if (typeof session.uploadUrl !== 'string') throw new Error('Microsoft Graph gave no upload URL');
  await graph.uploadToSession(session.uploadUrl, a.data);
}
