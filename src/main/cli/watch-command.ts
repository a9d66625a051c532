import type { WatchEvent } from '../../shared/watch-types.js';
import { CutoverError } from '../../shared/errors.js';
import { dnsCheck } from '../engine/cutover/cutover-day.js';
import { compareMailboxes } from '../engine/compare/compare-mailboxes.js';
import type { ImapAccount } from '../engine/imap/imap-account.js';
import type { SyncRequest } from '../engine/sync/run-sync.js';
import { runWatch } from '../engine/watch/run-watch.js';
import { dnsOverridesFromEnvironment } from '../dns-overrides.js';
import type { WatchArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { localTime } from './cutover-day-words.js';

export interface WatchSetup {
  source: ImapAccount;
  target: ImapAccount;
  stateDir: string;
  /** What the copy needs for this target (size limit, Exchange names). */
  sync: Partial<SyncRequest>;
  compareExtras: Record<string, unknown>;
}

/**
 * `cutover watch`: one line per event (a JSON object per line with --json) until SIGINT/SIGTERM
 * (exit 0). Exit 1 when the pair is busy (before anything is done), the watch failed, or another
 * process took the pair over.
 */
export async function watchCommand(args: WatchArgs, setup: WatchSetup, io: CliIo, signal: AbortSignal): Promise<number> {
  const everyMs = args.everySeconds * 1000;
  const domain = args.domain;
  const end = await runWatch({
    source: setup.source,
    target: setup.target,
    stateDir: setup.stateDir,
    sync: setup.sync,
    everyMs,
    // The DNS check needs no sign-in when the expected MX is given; without it, only Microsoft's host names tell.
    dns: domain ? { everyMs, check: () => dnsCheck(domain, { expectMx: args.expectMx, resolvers: args.resolvers }, null, { signal, dns: dnsOverridesFromEnvironment() }) } : null,
    compare: async () => ({ missing: (await compareMailboxes({ source: setup.source, target: setup.target, stateDir: setup.stateDir, signal, ...setup.compareExtras })).missingTotal }),
    signal,
    onEvent: (event) => io.stdout.write(`${args.json ? JSON.stringify(event) : watchLine(event)}\n`),
  });
  if (end.reason === 'requested') return 0;
  if (end.error) throw new CutoverError(end.error);
  return 1;
}

/** One event in the command line's words. */
export function watchLine(e: WatchEvent): string {
  const time = new Date().toLocaleTimeString('en-GB');
  switch (e.type) {
    case 'started':
      return `${time} watching ${e.folders} folder${e.folders === 1 ? '' : 's'}: INBOX at once, every folder every ${every(e.everySeconds)}. Ctrl-C stops.`;
    case 'checked':
      return `${time} in step, last checked ${new Date(e.at).toLocaleTimeString('en-GB')}${e.copied ? ` (${e.copied} copied in this pass)` : ''}`;
    case 'copied':
      return `${time} copied ${e.count} message${e.count === 1 ? '' : 's'} in ${e.folder}${e.afterSwitch ? ' (after the MX switch)' : ''}`;
    case 'reconnecting':
      return `${time} ${e.error.message} Trying again in ${Math.ceil(e.delayMs / 1000)} s (attempt ${e.attempt}).`;
    case 'switch-seen':
      return `${time} the MX record points to Microsoft 365 (seen ${localTime(e.at)}). Mail that still reaches the old server is copied and listed until ${localTime(e.sweepUntil)}.`;
    case 'late-arrival':
      return `${time} late arrival in ${e.item.folder}: "${e.item.subject}"${e.item.from ? ` from ${e.item.from}` : ''}${e.item.receivedAt ? `, received ${localTime(e.item.receivedAt)}` : ''} (copied)`;
    case 'safe-to-close':
      return `${time} safe to close the old mailbox: nothing is missing on the new one and no mail reached the old server for 24 hours.`;
    case 'stopped':
      return `${time} stopped${e.reason === 'lease-lost' ? ': another process took over this mailbox pair' : e.reason === 'failed' ? ' after a problem' : ''}.`;
    case 'problem':
      return `${time} problem${e.folder ? ` in ${e.folder}` : ''}: ${e.error.message}`;
  }
}

function every(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
