import type { PimCopySummary, PimUndoSummary } from '../../shared/pim-types.js';
import { copyEvents, DEFAULT_CALENDAR } from '../engine/calendar/copy-events.js';
import { planCalendar } from '../engine/calendar/plan-calendar.js';
import { localTimeZone } from '../engine/calendar/time-zones.js';
import { copyContacts, DEFAULT_CONTACTS_FOLDER } from '../engine/contacts/copy-contacts.js';
import { planContacts } from '../engine/contacts/plan-contacts.js';
import { readSourceFiles, type SourceFiles } from '../engine/pim/read-source-files.js';
import { readDavCollection } from '../engine/dav/read-dav.js';
import { undoItems } from '../engine/pim/undo-items.js';
import { StateStore } from '../engine/state/state-store.js';
import { outlookFiles, outlookOptions } from './pim-commands.js';
import type { PimArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { storedM365 } from './m365-session.js';
import { davPassword } from './password-prompt.js';
import { signedInMailbox } from '../engine/m365/exchange-target.js';
import { mailboxTimeZone } from '../engine/m365/mailbox-time-zone.js';

/** `contacts copy|undo`, `calendar copy|undo`: through Microsoft Graph, into the signed-in mailbox. */
export async function pimCopyCommand(args: PimArgs, stateDir: string, io: CliIo, signal: AbortSignal): Promise<number> {
  // This command's one owner of the state database.
  const state = StateStore.open(stateDir);
  try {
    return await pimCopy(args, stateDir, state, io, signal);
  } finally {
    state.close();
  }
}

async function pimCopy(args: PimArgs, stateDir: string, state: StateStore, io: CliIo, signal: AbortSignal): Promise<number> {
  const { auth, graph } = storedM365(stateDir, args.json ? undefined : (s) => io.stderr.write(`Microsoft 365 is throttling us; waiting ${s} s.\n`));
  // The target may be any address of the signed-in mailbox; the state knows it by the sign-in's name.
  const user = await signedInMailbox(auth, graph, args.target!.kind === 'm365' ? args.target!.user : '');
  const isContacts = args.command === 'contacts';
  if (args.action === 'undo') {
    const summary = await undoItems(graph, state, user, isContacts ? 'contact' : 'event', args.folder ?? (isContacts ? DEFAULT_CONTACTS_FOLDER : DEFAULT_CALENDAR));
    io.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : `${undoText(summary, isContacts)}\n`);
    return summary.failed.length === 0 ? 0 : 1;
  }
  // A data file that cannot be opened, or a folder name it does not have, stops here with its reason.
  if (!args.davUrl) await outlookFiles(args);
  const dav = args.davUrl ? await readDavCollection({ url: args.davUrl, user: args.davUser ?? '', password: await davPassword(args.davUrl), kind: isContacts ? 'carddav' : 'caldav' }) : null;
  const sources: SourceFiles = dav ? dav.sources : readSourceFiles(args.files);
  const progress = args.json ? undefined : (p: { done: number; total: number }) => io.stderr.write(`\r${p.done}/${p.total} ${isContacts ? 'contacts' : 'events'}`);
  const request = { graph, state, mailbox: user, folderName: args.folder, signal, ...(progress ? { onProgress: progress } : {}) };
  let summary: PimCopySummary;
  if (isContacts) {
    const plan = await planContacts(sources, { signal, ...outlookOptions(args, io) });
    plan.skipped.unshift(...(dav?.skipped ?? []));
    summary = await copyContacts(plan, request);
  } else {
    // All-day events and floating times belong in the mailbox's zone unless the user named one.
    const zone = args.timeZone ? { zone: args.timeZone, warning: null } : await mailboxTimeZone(graph, localTimeZone(null));
    const plan = await planCalendar(sources, zone.zone, { signal, ...outlookOptions(args, io) });
    plan.skipped.unshift(...(dav?.skipped ?? []));
    summary = await copyEvents(plan, request, zone.warning ? [zone.warning] : []);
  }
  if (progress) io.stderr.write('\n');
  io.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : `${copyText(summary, isContacts)}\n`);
  return summary.failed.length === 0 ? 0 : 1;
}

function copyText(s: PimCopySummary, contacts: boolean): string {
  const what = contacts ? 'contacts' : 'events';
  const lines = [`Into "${s.folder}": ${s.created} ${what} created, ${s.updated} updated, ${s.unchanged} unchanged. No one was sent any e-mail.`];
  for (const w of s.warnings ?? []) lines.push(`Note: ${w}`);
  for (const g of s.groups ?? []) lines.push(`Contact group "${g.name}" (Graph cannot create groups): ${g.members.join(', ') || 'no members'}`);
  if (s.skipped.length) {
    lines.push('', `Not copied (${s.skipped.length}):`);
    for (const k of s.skipped) lines.push(`  ${k.source.file}${k.source.uid ? ` ${k.source.uid}` : ''}: ${k.reason}`);
  }
  if (s.failed.length) {
    lines.push('', `Problems (${s.failed.length}); a rerun tries again:`);
    for (const f of s.failed) lines.push(`  ${f.source.file} ${f.source.uid}: ${f.reason}`);
  }
  return lines.join('\n');
}

function undoText(s: PimUndoSummary, contacts: boolean): string {
  const lines = [`Removed ${s.deleted} ${contacts ? 'contacts' : 'events'} that Cutover had created.${s.failed.length ? ` ${s.failed.length} could not be removed.` : ''}`];
  if (s.leftAlone.length) {
    lines.push(`Left in place (${s.leftAlone.length}): they have attendees now, and deleting them would send each attendee a cancellation. Delete them in Outlook if you want them gone.`);
    for (const k of s.leftAlone) lines.push(`  "${k.subject ?? '(no subject)'}": ${k.reason}`);
  }
  return lines.join('\n');
}
