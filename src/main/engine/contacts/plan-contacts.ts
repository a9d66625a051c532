import type { ContactGroupReport, GraphBody, PlannedItem, SkippedItem, SourceFormat, SourceRef } from '../../../shared/pim-types.js';
import { PlanControl, problemText } from '../pim/plan-control.js';
import type { SourceBytes, SourceFiles } from '../pim/read-source-files.js';
import { contentHash, sourceKey } from '../pim/source-identity.js';
import { fileBytes } from '../pim/text-decoding.js';
import type { ContactGroupRecord, ContactRecord } from './contact-record.js';
import { contactContentKey, mapContact } from './contact-mapper.js';
import { readCards } from './vcard-reader.js';
import type { OutlookPlanOptions } from '../outlook/outlook-source.js';
import { planOutlookContacts } from './plan-outlook-contacts.js';
import { readCsvContacts } from './csv-contacts.js';
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
  /** What each file was recognised as (CSV dialects, Outlook data files), for the plan and the preview. */
  formats: SourceFormat[];
}

export interface PlanOptions extends OutlookPlanOptions {
  signal?: AbortSignal;
  /** Called when a file is about to be read (for progress). */
  onFile?: (origin: string) => void;
}

/** What one run collects while reading files; each contact is mapped as soon as it is read. */
class ContactCollector {
  readonly items: PlannedContact[] = [];
  readonly skipped: SkippedItem[] = [];
  readonly groups: { source: SourceRef; group: ContactGroupRecord }[] = [];
  readonly formats: SourceFormat[] = [];
  private readonly byKey = new Map<string, number>();
  /** For naming group members: UID (without urn:uuid:) and e-mail address → display name. */
  private readonly namesByUid = new Map<string, string>();
  private readonly namesByEmail = new Map<string, string>();

  add(source: SourceRef, record: ContactRecord, fileWarnings: string[]): void {
    const contentKey = contactContentKey(record);
    const key = sourceKey('contact', record.uid, contentKey);
    const mapped = mapContact(record, { key, contentKey });
    const item: PlannedContact = {
      source,
      graph: mapped.graph,
      warnings: [...fileWarnings, ...mapped.warnings],
      key,
      contentKey,
      hash: contentHash(JSON.stringify(mapped.graph) + (mapped.photo ? contentHash(mapped.photo.data) : '')),
      photo: mapped.photo,
    };
    const name = String(mapped.graph.displayName);
    if (record.uid) this.namesByUid.set(bareUid(record.uid), name);
    for (const e of record.emails) this.namesByEmail.set(e.address.toLowerCase(), name);
    const earlier = this.byKey.get(key);
    if (earlier === undefined) {
      this.byKey.set(key, this.items.length);
      this.items.push(item);
      return;
    }
    // The same contact twice (two exports chosen together): one copy, the later one.
    const previous = this.items[earlier]!;
    this.items[earlier] = item;
    this.skipped.push({ source: previous.source, reason: duplicateReason(previous, item) });
  }

  plan(): InternalContactsPlan {
    const groups = this.groups.map((g) => ({ source: g.source, name: g.group.name, members: g.group.members.map((m) => this.memberName(m)) }));
    for (const g of groups) {
      const shown = g.members.slice(0, 50).join(', ') + (g.members.length > 50 ? `, and ${g.members.length - 50} more` : '');
      this.skipped.push({ source: g.source, reason: `contact group "${g.name}" cannot be created through Microsoft Graph; its ${g.members.length} member(s): ${shown || 'none'}` });
    }
    return { items: this.items, skipped: this.skipped, groups, formats: this.formats };
  }

  /** A member by name where the files have the contact, else as written (a UID or an address). */
  private memberName(member: string): string {
    if (/^mailto:/i.test(member)) {
      const address = member.replace(/^mailto:/i, '');
      return this.namesByEmail.get(address.toLowerCase()) ?? address;
    }
    return this.namesByUid.get(bareUid(member)) ?? bareUid(member);
  }
}

/**
 * Reads .vcf files (vCard 2.1, 3.0, 4.0; several cards per file; any encoding a real exporter
 * writes) and plans the Graph contacts. A card, or a whole file, that cannot be read is reported
 * with its file name and line; everything else goes on. Honours `signal` between cards.
 */
export async function planContacts(sources: SourceFiles, options: PlanOptions = {}): Promise<InternalContactsPlan> {
  const control = new PlanControl(options.signal);
  const out = new ContactCollector();
  for await (const file of sources) {
    control.throwIfAborted();
    options.onFile?.(file.origin);
    if ('unreadable' in file) {
      out.skipped.push({ source: { file: file.origin, uid: '' }, reason: file.unreadable });
      continue;
    }
    if ('outlook' in file) await planOutlookContacts(file, control, out, options);
    else if (isCsv(file)) await readCsvFile(file, control, out);
    else await readContactFile(file, control, out);
  }
  return out.plan();
}

async function readContactFile(file: SourceBytes, control: PlanControl, out: ContactCollector): Promise<void> {
  const origin = file.origin;
  let line: number | null = null;
  let found = 0;
  try {
    const { bytes, assumed } = fileBytes(file.bytes);
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
        else out.add({ file: origin, uid: result.record.uid ?? '', line }, result.record, fileWarnings);
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

/** A .csv by name, or a file with no vCard in its first kilobytes whose first line has separators. */
function isCsv(file: SourceBytes): boolean {
  if (/\.csv$/i.test(file.origin)) return true;
  if (/\.(vcf|vcard)$/i.test(file.origin)) return false;
  const head = fileBytes(file.bytes.subarray(0, 4096)).bytes.toString('latin1');
  return !/BEGIN:VCARD/i.test(head) && /^[^\r\n]*[,;\t][^\r\n]*\r?\n/.test(head);
}

async function readCsvFile(file: SourceBytes, control: PlanControl, out: ContactCollector): Promise<void> {
  const origin = file.origin;
  let found = 0;
  try {
    const csv = readCsvContacts(file.bytes, control);
    for await (const row of csv.rows) {
      if ('problem' in row) {
        const reason = row.problem.startsWith('the rest of the file') ? row.problem : `the row at line ${row.line}: ${row.problem}`;
        out.skipped.push({ source: { file: origin, uid: '', line: row.line }, reason });
        continue;
      }
      found++;
      out.add({ file: origin, uid: '', line: row.line }, row.record, csv.fileWarnings);
    }
    out.formats.push({ file: origin, format: csv.format });
    if (found === 0) out.skipped.push({ source: { file: origin, uid: '' }, reason: 'no contact found in this file (only a header row)' });
  } catch (err) {
    if ((err as { code?: string })?.code === 'cancelled') throw err;
    out.skipped.push({ source: { file: origin, uid: '' }, reason: `the file was not read: ${problemText(err, null)}` });
  }
}

function duplicateReason(previous: PlannedContact, kept: PlannedContact): string {
  const where = `${kept.source.file}${kept.source.line ? ` (line ${kept.source.line})` : ''}`;
  const same = previous.hash === kept.hash ? 'with the same content' : 'with different content';
  return `the same contact appears again ${same} in ${where}; that copy is the one copied`;
}

function bareUid(uid: string): string {
  return uid.replace(/^urn:uuid:/i, '').trim();
}
