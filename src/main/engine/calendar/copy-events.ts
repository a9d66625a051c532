import { DEFAULT_PIM_FOLDER, type GraphBody, type PimCopySummary } from '../../../shared/pim-types.js';
import { copyIntoContainer, type CopyRequest, type ItemKindSpec } from '../pim/copy-items.js';
import { MeetingLeftAlone, type MailSafeGraph } from '../pim/mail-safe-graph.js';
import { uuidV5 } from '../pim/source-identity.js';
import { storeAttachments, ATTACHMENTS_PROPERTY } from './event-attachments.js';
import type { InternalCalendarPlan, InternalPlannedEvent } from './plan-calendar.js';

export const DEFAULT_CALENDAR = DEFAULT_PIM_FOLDER.calendar;

/**
 * Every event field the mapper can produce, with what clears it. A PATCH sends each one the source no
 * longer has as null (or [] for a collection), so a location, category or recurrence removed at the
 * source goes in Microsoft 365 too; PATCH otherwise leaves absent properties as they were
 * (https://learn.microsoft.com/en-us/graph/api/event-update). Two are not nullable in Graph's event
 * resource and get Outlook's default instead: importance "normal", a reminder 15 minutes before.
 * Fields set on every event (subject, body, start, end, isAllDay, isReminderOn, showAs, sensitivity)
 * never need clearing.
 */
export const EVENT_CLEARABLE_FIELDS: Record<string, null | [] | string | number> = {
  location: null,
  categories: [],
  recurrence: null,
  importance: 'normal',
  reminderMinutesBeforeStart: 15,
};
/** Fields sent only when the event is created. */
const CREATE_ONLY = ['transactionId'];
const DUPLICATE_TRANSACTION = 'ErrorDuplicateTransactionId';

interface Instance {
  id: string;
  originalStart?: string;
}

/**
 * The transactionId of an event's create: a version-5 UUID of the target calendar, the item's key and
 * the intent's create nonce. Exchange keeps a transactionId per mailbox and refuses it for any other
 * create, even after its event was deleted (ErrorDuplicateTransactionId: "has already been used to
 * create a different event"). So the same source event copied into another calendar gets another
 * id; the first create of an item has no nonce (the same id on every computer, so Exchange itself
 * refuses a second copy from elsewhere); a copy after an undo gets a random nonce kept with the
 * intent, and a resend of that intent reuses it.
 */
export function eventTransactionId(calendarId: string, key: string, nonce: string | null): string {
  return uuidV5(`${calendarId}\n${key}${nonce ? `\n${nonce}` : ''}`);
}

/**
 * Applies the source's cancelled (EXDATE) and changed (RECURRENCE-ID) occurrences to the series'
 * instances. Each change goes through the mail-safe guard, which leaves occurrences of a meeting alone.
 */
async function applyOccurrences(graph: MailSafeGraph, id: string, e: InternalPlannedEvent): Promise<string[]> {
  const problems: string[] = [];
  const range = (e.graph.recurrence as { range?: { startDate?: string } } | undefined)?.range;
  if (!range?.startDate || (e.cancelledOccurrences.length === 0 && e.modifiedOccurrences.length === 0)) return problems;
  const dates = [...e.cancelledOccurrences, ...e.modifiedOccurrences.map((m) => m.originalStart.slice(0, 10))].sort();
  const from = `${range.startDate}T00:00:00Z`;
  const last = new Date(`${dates[dates.length - 1]}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() + 2);
  const instances = await graph.getAll<Instance>(`/me/events/${id}/instances?startDateTime=${from}&endDateTime=${last.toISOString().slice(0, 19)}Z&$select=id,originalStart&$top=100`);
  const byDate = new Map<string, Instance>();
  for (const i of instances) if (i.originalStart) byDate.set(localDate(i.originalStart, e.zone), i);
  for (const date of e.cancelledOccurrences) {
    const inst = byDate.get(date);
    if (!inst) continue; // outside the series as Graph sees it (or removed already): nothing to remove
    try {
      await graph.delete(`/me/events/${inst.id}`);
    } catch (err) {
      problems.push(`the cancelled occurrence on ${date} was not removed: ${(err as Error).message}`);
    }
  }
  for (const m of e.modifiedOccurrences) {
    const date = m.originalStart.slice(0, 10);
    const inst = byDate.get(date);
    if (!inst) {
      problems.push(`the changed occurrence of ${date} was not found in the series`);
      continue;
    }
    try {
      await graph.patch(`/me/events/${inst.id}`, m.graph);
    } catch (err) {
      problems.push(`the changed occurrence of ${date} was not updated: ${err instanceof MeetingLeftAlone ? err.message : (err as Error).message}`);
    }
  }
  return problems;
}

function localDate(isoUtc: string, zone: string): string {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(isoUtc) ? isoUtc : `${isoUtc}Z`);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** The PATCH body: the planned body without creation-only fields, with every absent mapped field cleared. */
export function eventPatchBody(e: InternalPlannedEvent): GraphBody {
  const body: GraphBody = {};
  for (const [k, clear] of Object.entries(EVENT_CLEARABLE_FIELDS)) body[k] = clear;
  for (const [k, v] of Object.entries(e.graph)) if (!CREATE_ONLY.includes(k)) body[k] = v;
  return body;
}

const eventSpec: ItemKindSpec<InternalPlannedEvent> = {
  kind: 'event',
  containers: '/me/calendars',
  collection: (id) => `/me/calendars/${id}/events`,
  item: (id) => `/me/events/${id}`,
  extraProperties: [ATTACHMENTS_PROPERTY],
  createBody: (e, calendarId, nonce) => ({ ...e.graph, transactionId: eventTransactionId(calendarId, e.key, nonce) }),
  patchBody: eventPatchBody,
  duplicateCode: DUPLICATE_TRANSACTION,
  afterWrite: async (graph, id, e, existing) => {
    const problems = await storeAttachments(graph, id, e.attachments, existing);
    problems.push(...(await applyOccurrences(graph, id, e)));
    return problems;
  },
};

/** One click: every planned event into one calendar (by default a new one), no invitation ever sent. */
export function copyEvents(plan: InternalCalendarPlan, req: CopyRequest, warnings: string[] = []): Promise<PimCopySummary> {
  return copyIntoContainer(req, eventSpec, DEFAULT_CALENDAR, plan.items, { skipped: plan.skipped, ...(warnings.length ? { warnings } : {}) });
}

