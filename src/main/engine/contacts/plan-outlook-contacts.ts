import type { PSTContact } from 'pst-extractor/dist/PSTContact.class.js';
import type { SkippedItem, SourceFormat, SourceRef } from '../../../shared/pim-types.js';
import { chosenFolders, openOutlookSource, type OutlookPlanOptions } from '../outlook/outlook-source.js';
import { problemText, type PlanControl } from '../pim/plan-control.js';
import type { OutlookSource } from '../pim/read-source-files.js';
import type { ContactRecord } from './contact-record.js';
import { readOutlookContact } from './outlook-contact.js';

export interface OutlookContactsSink {
  add(source: SourceRef, record: ContactRecord, fileWarnings: string[]): void;
  skipped: SkippedItem[];
  formats: SourceFormat[];
}

/**
 * The contacts of an Outlook data file's chosen contacts folders, one item at a time, into the same
 * collector (and so the same mapping) as vCards and CSV rows. Contact groups (IPM.DistList) are
 * reported by name; an item that cannot be read is reported with its folder; the rest goes on.
 */
export async function planOutlookContacts(source: OutlookSource, control: PlanControl, out: OutlookContactsSink, options: OutlookPlanOptions): Promise<void> {
  const opened = openOutlookSource(source, out.skipped);
  if (!opened) return;
  const { file, storeKey } = opened;
  out.formats.push({ file: source.origin, format: file.format });
  try {
    for (const folder of chosenFolders(file, 'contacts', options, source.origin, out.skipped)) {
      const origin = `${source.origin} › ${folder.path}`;
      for await (const entry of file.items(folder.id, control)) {
        options.onProgress?.({ origin, done: entry.index, total: entry.total });
        if ('unreadable' in entry) {
          out.skipped.push({ source: { file: origin, uid: '' }, reason: entry.unreadable });
          continue;
        }
        const item = entry.item;
        const { messageClass, name } = file.use(() => ({ messageClass: item.messageClass, name: item.displayName || item.subject || '' }));
        if (/^IPM\.DistList/i.test(messageClass)) {
          out.skipped.push({ source: { file: origin, uid: '' }, reason: `contact group "${name}" cannot be created through Microsoft Graph; its members are not read from Outlook data files (their own contacts are copied when they are in the chosen folders)` });
          continue;
        }
        if (!/^IPM\.Contact/i.test(messageClass)) {
          out.skipped.push({ source: { file: origin, uid: '' }, reason: `"${name}" is not a contact (${messageClass || 'no item class'}) and is not copied` });
          continue;
        }
        try {
          const record = readOutlookContact(file, item as PSTContact, storeKey);
          out.add({ file: origin, uid: record.uid ?? '' }, record, []);
        } catch (err) {
          if ((err as { code?: string })?.code === 'cancelled') throw err;
          out.skipped.push({ source: { file: origin, uid: '' }, reason: `the contact "${name}" was not read: ${problemText(err, null)}` });
        }
      }
    }
  } finally {
    file.close();
  }
}
