import { PSTAttachment, type PSTMessage } from 'pst-extractor';
import { megabytes } from '../../../shared/byte-size.js';
import type { PropertyReader } from './outlook-properties.js';

/** What an item's attachments hold: files (with their bytes) and what cannot travel as a file. */
export interface ItemFile {
  name: string;
  contentType: string;
  data: Buffer;
}

export interface ItemAttachments {
  files: ItemFile[];
  /** Things named in the warnings (an attached Outlook item, an OLE object, a file over the size limit). */
  notCopied: string[];
  /** Attachments that are links to files elsewhere (by reference): kept as links. */
  links: { name: string; path: string }[];
  /** The contact's picture (PidTagAttachmentContactPhoto), kept apart from the other files. */
  photo: ItemFile | null;
}

const PR_ATTACH_FLAGS = 0x3714;
const PR_ATTACHMENT_HIDDEN = 0x7ffe;
const PR_ATTACHMENT_CONTACT_PHOTO = 0x7fff;
/** afException: the attachment is a changed occurrence of the series, not a file. */
const AF_EXCEPTION = 0x2;

/**
 * Reads an item's attachments (inside the file's `use`). Files larger than `maxBytes` are named,
 * not read, so one huge attachment never has to be held in memory.
 */
export function readAttachments(item: PSTMessage, props: (o: object) => PropertyReader, maxBytes: number): ItemAttachments {
  const out: ItemAttachments = { files: [], notCopied: [], links: [], photo: null };
  const count = Math.min(item.numberOfAttachments, 500);
  for (let i = 0; i < count; i++) {
    let att: PSTAttachment;
    try {
      att = item.getAttachment(i);
    } catch {
      out.notCopied.push(`attachment ${i + 1} (damaged in the data file)`);
      continue;
    }
    const p = props(att);
    const name = (att.longFilename || att.filename || att.displayName || `attachment-${i + 1}`).trim();
    if (((p.int(PR_ATTACH_FLAGS) ?? 0) & AF_EXCEPTION) !== 0) continue;
    const method = att.attachMethod;
    if (method === PSTAttachment.ATTACHMENT_METHOD_EMBEDDED) {
      if (p.bool(PR_ATTACHMENT_HIDDEN)) continue;
      out.notCopied.push(`the attached Outlook item "${name}"`);
      continue;
    }
    if (method === PSTAttachment.ATTACHMENT_METHOD_OLE) {
      out.notCopied.push(`the embedded object "${name}"`);
      continue;
    }
    if (method === PSTAttachment.ATTACHMENT_METHOD_BY_REFERENCE || method === PSTAttachment.ATTACHMENT_METHOD_BY_REFERENCE_RESOLVE || method === PSTAttachment.ATTACHMENT_METHOD_BY_REFERENCE_ONLY) {
      out.links.push({ name, path: att.longPathname || att.pathname || name });
      continue;
    }
    const stream = att.fileInputStream;
    if (!stream) {
      out.notCopied.push(`the attachment "${name}" (no content in the data file)`);
      continue;
    }
    const size = stream.length.toNumber();
    if (size > maxBytes) {
      out.notCopied.push(`the attachment "${name}" (${megabytes(size)}, more than Outlook accepts)`);
      continue;
    }
    const data = Buffer.alloc(size);
    stream.readCompletely(data);
    const file = { name, contentType: att.mimeTag || contentTypeOf(name), data };
    if (p.bool(PR_ATTACHMENT_CONTACT_PHOTO)) out.photo = file;
    else out.files.push(file);
  }
  return out;
}

function contentTypeOf(name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const known: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', bmp: 'image/bmp', pdf: 'application/pdf', txt: 'text/plain' };
  return (ext && known[ext]) || 'application/octet-stream';
}

/** An item's own stable key: its search key, else its place in this store (the store's record key + node id). */
export function stableItemKey(p: PropertyReader, storeKey: string, nodeId: number): string {
  const search = p.binary(0x300b);
  if (search && search.length > 0 && search.length <= 64) return `searchkey:${search.toString('hex').toUpperCase()}`;
  return `entry:${storeKey}:${nodeId}`;
}
