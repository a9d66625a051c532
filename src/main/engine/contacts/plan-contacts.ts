import ICAL from 'ical.js';
import type { ContactGroupReport, ContactsPlan, GraphBody, PlannedItem, SkippedItem } from '../../../shared/pim-types.js';
import { readSourceFiles } from '../pim/read-source-files.js';
import { contentHash, sourceKey } from '../pim/source-identity.js';
import { groupMembers, isGroup, mapContact } from './contact-mapper.js';
import { normalizeCard, splitCards } from './vcard-normalize.js';

export interface ContactSourceText {
  /** File path or DAV URL, shown in reports and part of each item's identity. */
  origin: string;
  content: string;
}

export interface PlannedContact extends PlannedItem<GraphBody> {
  key: string;
  hash: string;
  photo: { contentType: string; data: Buffer } | null;
}

export interface InternalContactsPlan extends Omit<ContactsPlan, 'items'> {
  items: PlannedContact[];
}

/**
 * Reads vCard text (2.1, 3.0, 4.0; several cards per file; folded lines; any line ending) and plans
 * the Graph contacts. A card that cannot be read is reported with its position; the rest go on.
 */
export function planContacts(sources: ContactSourceText[]): InternalContactsPlan {
  const items: PlannedContact[] = [];
  const skipped: SkippedItem[] = [];
  const groups: { source: { file: string; uid: string }; name: string; memberIds: string[] }[] = [];
  const namesByUid = new Map<string, string>();
  for (const { origin, content } of sources) {
    const { cards, broken } = splitCards(content);
    for (const b of broken) skipped.push({ source: { file: origin, uid: `line ${b.line}` }, reason: b.reason });
    if (cards.length === 0 && broken.length === 0) skipped.push({ source: { file: origin, uid: '' }, reason: 'no vCard found in this file' });
    for (const raw of cards) {
      let card: ICAL.Component;
      try {
        card = new ICAL.Component(ICAL.parse(normalizeCard(raw.text)) as unknown as unknown[]);
      } catch (err) {
        skipped.push({ source: { file: origin, uid: `line ${raw.line}` }, reason: `unreadable vCard: ${(err as Error).message}` });
        continue;
      }
      const uid = String(card.getFirstPropertyValue('uid') ?? card.getFirstPropertyValue('x-abuid') ?? '').replace(/^urn:uuid:/i, '').trim() || `sha-${contentHash(raw.text)}`;
      const source = { file: origin, uid };
      if (isGroup(card)) {
        groups.push({ source, name: String(card.getFirstPropertyValue('fn') ?? 'Unnamed group'), memberIds: groupMembers(card) });
        continue;
      }
      try {
        const key = sourceKey(origin, uid);
        const mapped = mapContact(card, key);
        namesByUid.set(uid, String(mapped.graph.displayName));
        items.push({ source, graph: mapped.graph, warnings: mapped.warnings, key, hash: contentHash(JSON.stringify(mapped.graph) + (mapped.photo ? contentHash(mapped.photo.data.toString('base64')) : '')), photo: mapped.photo });
      } catch (err) {
        skipped.push({ source, reason: `could not be converted: ${(err as Error).message}` });
      }
    }
  }
  const groupReports: ContactGroupReport[] = groups.map((g) => ({ source: g.source, name: g.name, members: g.memberIds.map((id) => namesByUid.get(id) ?? id) }));
  for (const g of groupReports) skipped.push({ source: g.source, reason: `contact group "${g.name}" cannot be created through Microsoft Graph; its ${g.members.length} members are listed in the report` });
  return { items, skipped, groups: groupReports };
}

/** Reads .vcf files; see readSourceFiles. */
export const readContactFiles = readSourceFiles;
