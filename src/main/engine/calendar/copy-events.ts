import type { GraphBody, PimCopySummary } from '../../../shared/pim-types.js';
import { copyIntoContainer, type CopyRequest, type ItemKindSpec } from '../pim/copy-items.js';
import type { MailSafeGraph } from '../pim/mail-safe-graph.js';
import type { InternalCalendarPlan, InternalPlannedEvent } from './plan-calendar.js';

export const DEFAULT_CALENDAR = 'Calendar from old mailbox';

interface Instance {
  id: string;
  originalStart?: string;
}

/**
 * Applies the source's cancelled (EXDATE) and changed (RECURRENCE-ID) occurrences to the series'
 * instances. Safe only because the series has no attendees: deleting or changing an occurrence of a
 * meeting with attendees would mail them all.
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
    if (!inst) continue; // outside the series as Graph sees it: nothing to remove
    try {
      await graph.delete(`/me/events/${inst.id}`);
    } catch (err) {
      problems.push(`the cancelled occurrence on ${date} could not be removed: ${(err as Error).message}`);
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
      problems.push(`the changed occurrence of ${date} could not be updated: ${(err as Error).message}`);
    }
  }
  return problems;
}

function localDate(isoUtc: string, zone: string): string {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(isoUtc) ? isoUtc : `${isoUtc}Z`);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

const eventSpec: ItemKindSpec<InternalPlannedEvent> = {
  kind: 'event',
  containers: '/me/calendars',
  collection: (id) => `/me/calendars/${id}/events`,
  item: (id) => `/me/events/${id}`,
  patchBody: (e) => {
    const { transactionId: _creationOnly, ...rest } = e.graph as GraphBody & { transactionId?: string };
    return rest;
  },
  afterWrite: async (graph, id, e) => {
    const problems: string[] = [];
    for (const a of e.attachments) {
      try {
        await graph.post(`/me/events/${id}/attachments`, { '@odata.type': '#microsoft.graph.fileAttachment', name: a.name, contentType: a.contentType, contentBytes: a.data.toString('base64') });
      } catch (err) {
        problems.push(`attachment "${a.name}" was not stored: ${(err as Error).message}`);
      }
    }
    problems.push(...(await applyOccurrences(graph, id, e)));
    return problems;
  },
};

/** One click: every planned event into one calendar (by default a new one), no invitation ever sent. */
export function copyEvents(plan: InternalCalendarPlan, req: CopyRequest): Promise<PimCopySummary> {
  return copyIntoContainer(req, eventSpec, DEFAULT_CALENDAR, plan.items, { skipped: plan.skipped });
}
