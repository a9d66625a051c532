import type { ApiEvent, PimSource } from '../../shared/app-api.js';
import type { PimCopySummary, PimUndoSummary } from '../../shared/pim-types.js';
import type { PimArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import type { CliEngine } from './cli-service.js';
import { davPassword } from './password-prompt.js';
import { filesSource, readingProgress } from './pim-commands.js';

/** `contacts copy|undo`, `calendar copy|undo`: through Microsoft Graph, into the signed-in mailbox. */
export async function pimCopyCommand(args: PimArgs, engine: CliEngine, io: CliIo, signal: AbortSignal): Promise<number> {
  const { service } = engine;
  const isContacts = args.command === 'contacts';
  // The target may be any address of the signed-in mailbox; the service knows it by the sign-in's name.
  const user = args.target?.kind === 'm365' ? args.target.user : '';
  if (args.action === 'undo') {
    const summary = await service.undoPim(args.command, user, args.folder);
    io.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : `${undoText(summary, isContacts)}\n`);
    return summary.failed.length === 0 ? 0 : 1;
  }
  const source: PimSource = args.davUrl ? { kind: 'dav', url: args.davUrl, user: args.davUser ?? '', password: await davPassword(args.davUrl) } : filesSource(args, engine);
  let counted = false;
  const reading = readingProgress(io);
  const off = args.json
    ? () => undefined
    : service.onEvent((e: ApiEvent) => {
        if (e.type === 'pim-progress' && e.stage === 'copying') {
          counted = true;
          io.stderr.write(`\r${e.done}/${e.total} ${isContacts ? 'contacts' : 'events'}`);
        } else if (e.type === 'pim-progress') reading(e);
      });
  let summary: PimCopySummary;
  try {
    summary = await service.copyPim(args.command, source, user, args.timeZone, args.folder, { signal });
  } finally {
    off();
  }
  if (counted) io.stderr.write('\n');
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
