import type { ContactGroupReport, GraphBody, PlannedItem, SkippedItem, SourceRef } from '../../../shared/pim-types.js';
import { PlanControl, problemText } from '../pim/plan-control.js';
import type { SourceFiles } from '../pim/read-source-files.js';
import { contentHash, sourceKey } from '../pim/source-identity.js';
import { fileBytes } from '../pim/text-decoding.js';
import type { ContactGroupRecord, ContactRecord } from './contact-record.js';
import { contactContentKey, mapContact } from './contact-mapper.js';
import { readCards } from './vcard-reader.js';
import { cardToRecord, nameOfProperties, uidOfProperties } from './vcard-to-record.js';

export interface PlannedContact extends PlannedItem<GraphBody> {
  /** Identity on the target: kind + UID, or the content hash for a contact without UID. */
  key: string;
  /** Hash of the normalized content: recognises the same contact re-exported under a new UID. */
  contentKey: string;
  /** Hash of what would be sent: a rerun updates the contact when it changed. */
  hash: string;
  photo: { contentType: string; data: Buffer } | null;
}

export interface InternalContactsPlan {
  items: PlannedContact[];
  skipped: SkippedItem[];
  groups: ContactGroupReport[];
}

export interface PlanOptions {
  signal?: AbortSignal;
  /** Called when a file is about to be read (for progress). */
  onFile?: (origin: string) => void;
}

/** A contact read from a file, before the plan is put together. */
export interface ReadContact {
  source: SourceRef;
  record: ContactRecord;
  /** Extra warnings about the file (an encoding that had to be assumed). */
  fileWarnings: string[];
}

/**
 * Reads .vcf files (vCard 2.1, 3.0, 4.0; several cards per file; any encoding a real exporter
 * writes) and plans the Graph contacts. A card, or a whole file, that cannot be read is reported
 * with its file name and line; everything else goes on. Honours `signal` between cards.
 */
export async function planContacts(sources: SourceFiles, options: PlanOptions = {}): Promise<InternalContactsPlan> {
  const control = new PlanControl(options.signal);
  const read: ReadContact[] = [];
  const groups: { source: SourceRef; group: ContactGroupRecord }[] = [];
  const skipped: SkippedItem[] = [];
  for await (const file of sources) {
    control.throwIfAborted();
    options.onFile?.(file.origin);
    if ('unreadable' in file) {
      skipped.push({ source: { file: file.origin, uid: '' }, reason: file.unreadable });
      continue;
    }
    await readContactFile(file.origin, file.bytes, control, { read, groups, skipped });
  }
  return assemble(read, groups, skipped, control);
}

async function readContactFile(
  origin: string,
  raw: Buffer,
  control: PlanControl,
  out: { read: ReadContact[]; groups: { source: SourceRef; group: ContactGroupRecord }[]; skipped: SkippedItem[] },
): Promise<void> {
  let line: number | null = null;
  let found = 0;
  try {
    const { bytes, assumed } = fileBytes(raw);
    const fileWarnings = assumed ? [assumed] : [];
    for (const entry of readCards(bytes)) {
      await control.checkpoint();
      found++;
      if ('broken' in entry) {
        const name = nameOfProperties(entry.broken.properties);
        out.skipped.push({
          source: { file: origin, uid: uidOfProperties(entry.broken.properties) ?? '', line: entry.broken.line },
          reason: `the card${name ? ` "${name}"` : ''} at line ${entry.broken.line} is broken: ${entry.broken.reason}`,
        });
        continue;
      }
      line = entry.card.line;
      try {
        const result = cardToRecord(entry.card.properties, entry.card.skippedLines);
        if (result.kind === 'group') out.groups.push({ source: { file: origin, uid: result.group.uid ?? '', line }, group: result.group });
        else out.read.push({ source: { file: origin, uid: result.record.uid ?? '', line }, record: result.record, fileWarnings });
      } catch (err) {
        const name = nameOfProperties(entry.card.properties);
        out.skipped.push({ source: { file: origin, uid: uidOfProperties(entry.card.properties) ?? '', line }, reason: `the card${name ? ` "${name}"` : ''} at line ${line}: ${problemText(err, null)}` });
      }
    }
    if (found === 0) out.skipped.push({ source: { file: origin, uid: '' }, reason: 'no vCard found in this file (no BEGIN:VCARD line)' });
  } catch (err) {
    if ((err as { code?: string })?.code === 'cancelled') throw err;
    out.skipped.push({ source: { file: origin, uid: '', ...(line !== null ? { line } : {}) }, reason: `the rest of the file was not read: ${problemText(err, line)}` });
  }
}

/** Maps every record once, keeps one copy of a contact that appears twice, and reports groups. */
async function assemble(read: ReadContact[], groups: { source: SourceRef; group: ContactGroupRecord }[], skipped: SkippedItem[], control: PlanControl): Promise<InternalContactsPlan> {
  const items: PlannedContact[] = [];
  const byKey = new Map<string, number>();
  for (const c of read) {
    await control.checkpoint();
    try {
      const contentKey = contactContentKey(c.record);
      const key = sourceKey('contact', c.record.uid, contentKey);
      const mapped = mapContact(c.record, { key, contentKey });
      const item: PlannedContact = {
        source: c.source,
        graph: mapped.graph,
        warnings: [...c.fileWarnings, ...mapped.warnings],
        key,
        contentKey,
        hash: contentHash(JSON.stringify(mapped.graph) + (mapped.photo ? contentHash(mapped.photo.data) : '')),
        photo: mapped.photo,
      };
      const earlier = byKey.get(key);
      if (earlier === undefined) {
        byKey.set(key, items.length);
        items.push(item);
        continue;
      }
      // The same contact twice (two exports chosen together): one copy, the later one.
      const previous = items[earlier]!;
      items[earlier] = item;
      skipped.push({ source: previous.source, reason: duplicateReason(previous, item) });
    } catch (err) {
      skipped.push({ source: c.source, reason: `the card${c.record.name.formatted ? ` "${c.record.name.formatted}"` : ''}: ${problemText(err, c.source.line ?? null)}` });
    }
  }
  const groupReports = groups.map((g) => ({ source: g.source, name: g.group.name, members: memberNames(g.group, read) }));
  for (const g of groupReports) {
    const shown = g.members.slice(0, 50).join(', ') + (g.members.length > 50 ? `, and ${g.members.length - 50} more` : '');
    skipped.push({ source: g.source, reason: `contact group "${g.name}" cannot be created through Microsoft Graph; its ${g.members.length} member(s): ${shown || 'none'}` });
  }
  return { items, skipped, groups: groupReports };
}

function duplicateReason(previous: PlannedContact, kept: PlannedContact): string {
  const where = `${kept.source.file}${kept.source.line ? ` (line ${kept.source.line})` : ''}`;
  const same = previous.hash === kept.hash ? 'with the same content' : 'with different content';
  return `the same contact appears again ${same} in ${where}; that copy is the one copied`;
}

/** Members by name where the file has the contact, else as written (a UID or an address). */
function memberNames(group: ContactGroupRecord, read: ReadContact[]): string[] {
  const byUid = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const c of read) {
    const name = c.record.name.formatted ?? ([c.record.name.given, c.record.name.family].filter(Boolean).join(' ') || null);
    if (!name) continue;
    if (c.record.uid) byUid.set(bareUid(c.record.uid), name);
    for (const e of c.record.emails) byEmail.set(e.address.toLowerCase(), name);
  }
  return group.members.map((m) => {
    if (/^mailto:/i.test(m)) {
      const address = m.replace(/^mailto:/i, '');
      return byEmail.get(address.toLowerCase()) ?? address;
    }
    return byUid.get(bareUid(m)) ?? bareUid(m);
  });
}

function bareUid(uid: string): string {
  return uid.replace(/^urn:uuid:/i, '').trim();
}
