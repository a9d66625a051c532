import type { PSTAppointment } from 'pst-extractor/dist/PSTAppointment.class.js';
import type { SkippedItem, SourceFormat } from '../../../shared/pim-types.js';
import { chosenFolders, openOutlookSource, type OutlookPlanOptions } from '../outlook/outlook-source.js';
import { InputProblem, problemText, WorkBudget, type PlanControl } from '../pim/plan-control.js';
import type { OutlookSource } from '../pim/read-source-files.js';
import { appointmentToVevents } from './outlook-appointment.js';
import { readAppointment } from './outlook-appointment-data.js';
import { planSeries } from './plan-series.js';
import { eventHash, type InternalPlannedEvent } from './planned-event.js';

export interface OutlookCalendarContext {
  userZone: string;
  now: Date;
  control: PlanControl;
  keep: (item: InternalPlannedEvent) => void;
  skipped: SkippedItem[];
  formats: SourceFormat[];
}

/**
 * The appointments of an Outlook data file's chosen calendar folders, one at a time: each is turned
 * into VEVENTs (outlook-appointment.ts) and planned by the same `planSeries` as an .ics file's
 * events. An item that cannot be read or copied is reported with its folder and subject; the
 * folder and the file go on.
 */
export async function planOutlookCalendar(source: OutlookSource, ctx: OutlookCalendarContext, options: OutlookPlanOptions): Promise<void> {
  const opened = openOutlookSource(source, ctx.skipped);
  if (!opened) return;
  const { file, storeKey } = opened;
  ctx.formats.push({ file: source.origin, format: file.format });
  try {
    for (const folder of chosenFolders(file, 'calendar', options, source.origin, ctx.skipped)) {
      const origin = `${source.origin} › ${folder.path}`;
      const budget = new WorkBudget('the repeating appointments of this folder', 1_000_000 + folder.items * 2_000, 8_000 + folder.items * 5);
      for await (const entry of file.items(folder.id, ctx.control)) {
        options.onProgress?.({ origin, done: entry.index, total: entry.total });
        if ('unreadable' in entry) {
          ctx.skipped.push({ source: { file: origin, uid: '' }, reason: entry.unreadable });
          continue;
        }
        const item = entry.item;
        const subject = file.use(() => item.subject || '(no subject)');
        const messageClass = file.use(() => item.messageClass);
        if (!/^IPM\.Appointment/i.test(messageClass)) {
          ctx.skipped.push({ source: { file: origin, uid: '' }, reason: `"${subject}" is not an appointment (${messageClass || 'no item class'}) and is not copied` });
          continue;
        }
        let uid = '';
        try {
          const data = readAppointment(file, item as PSTAppointment, storeKey);
          uid = data.uid;
          const vevents = appointmentToVevents(data, ctx.userZone, ctx.now.getUTCFullYear());
          const planned = planSeries(
            { component: vevents.master, line: 0, warnings: vevents.warnings },
            vevents.overrides.map((component) => ({ component, line: 0, warnings: [] })),
            data.uid,
            { origin, zones: vevents.zones, now: ctx.now, fileWarnings: [], fileBudget: budget },
          );
          for (const event of planned) {
            delete event.source.line; // items of a data file have no line
            // Attachments travel beside the VEVENT (never as base64 text); every copy of the event carries them.
            if (data.attachments.length) {
              event.attachments.push(...data.attachments);
              event.hash = eventHash(event);
            }
            ctx.keep(event);
          }
        } catch (err) {
          if ((err as { code?: string })?.code === 'cancelled') throw err;
          ctx.skipped.push({ source: { file: origin, uid }, reason: `the appointment "${subject}" ${err instanceof InputProblem ? 'cannot be copied' : 'was not read'}: ${problemText(err, null)}` });
        }
      }
    }
  } finally {
    file.close();
  }
}
