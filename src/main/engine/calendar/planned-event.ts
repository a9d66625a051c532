import type ICAL from 'ical.js';
import type { PlannedEvent, SkippedItem, SourceFormat } from '../../../shared/pim-types.js';
import { contentHash } from '../pim/source-identity.js';
import type { EventAttachment } from './event-mapper.js';

export interface InternalPlannedEvent extends PlannedEvent {
  /** Identity on the target: kind + UID (+ occurrence), or the content hash for an event without UID. */
  key: string;
  /** Hash of the normalized content: recognises the same event re-exported under a new UID. */
  contentKey: string;
  /** Hash of what would be sent: a rerun updates the event when it changed. */
  hash: string;
  attachments: EventAttachment[];
  /** IANA zone of the event's wall-clock times (for matching occurrences on the target). */
  zone: string;
}

export interface InternalCalendarPlan {
  items: InternalPlannedEvent[];
  skipped: SkippedItem[];
  /** What each Outlook data file was recognised as (for the plan and the preview). */
  formats: SourceFormat[];
}

/** One VEVENT of the file, parsed on its own. */
export interface ParsedComponent {
  component: ICAL.Component;
  line: number;
  warnings: string[];
}

export function eventHash(item: Pick<InternalPlannedEvent, 'graph' | 'cancelledOccurrences' | 'modifiedOccurrences' | 'attachments'>): string {
  return contentHash(JSON.stringify([item.graph, item.cancelledOccurrences, item.modifiedOccurrences, item.attachments.map((a) => [a.name, contentHash(a.data)])]));
}
