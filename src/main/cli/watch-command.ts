import type { ApiEvent } from '../../shared/app-api.js';
import { CutoverError, type CutoverErrorData } from '../../shared/errors.js';
import type { WatchEvent } from '../../shared/watch-types.js';
import type { CutoverService } from '../engine/service/cutover-service.js';
import type { WatchArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { localTime } from './cutover-day-words.js';
import { sourceAccount, targetInput } from './mail-commands.js';

/**
 * `cutover watch`: the service's watch job, one line per event (a JSON object per line with --json)
 * until SIGINT/SIGTERM (exit 0). Exit 1 when the pair is busy (before anything is done), the watch
 * failed, or another process took the pair over.
 */
export async function watchCommand(args: WatchArgs, service: CutoverService, io: CliIo, signal: AbortSignal): Promise<number> {
  const source = await sourceAccount(args.source);
  const target = await targetInput(args.target);
  let jobId: string | null = null;
  let lastProblem: CutoverErrorData | null = null;
  let settle: (reason: 'requested' | 'lease-lost' | 'failed') => void = () => undefined;
  const stopped = new Promise<'requested' | 'lease-lost' | 'failed'>((resolve) => (settle = resolve));
  // This process runs one watch, so every watch event is this job's, even one sent before startWatch answers.
  const off = service.onEvent((e: ApiEvent) => {
    if (e.type !== 'watch-event' || (jobId !== null && e.jobId !== jobId)) return;
    io.stdout.write(`${args.json ? JSON.stringify(e.event) : watchLine(e.event)}\n`);
    if (e.event.type === 'problem') lastProblem = e.event.error;
    if (e.event.type === 'stopped') settle(e.event.reason);
  });
  const stop = (): void => void (jobId !== null && service.stopWatch(jobId));
  signal.addEventListener('abort', stop, { once: true });
  try {
    const job = await service.startWatch({
      source,
      target,
      everySeconds: args.everySeconds,
      maxMessageSize: args.maxMessageSize,
      dns: args.domain ? { domain: args.domain, expectMx: args.expectMx, resolvers: args.resolvers } : null,
    });
    jobId = job.jobId;
    if (signal.aborted) stop();
    const reason = await stopped;
    if (reason === 'requested') return 0;
    if (reason === 'failed' && lastProblem) throw new CutoverError(lastProblem);
    return 1;
  } finally {
    signal.removeEventListener('abort', stop);
    off();
  }
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
