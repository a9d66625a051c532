import { byteSize } from '../../shared/byte-size.js';
import type { Finding, PreflightReport } from '../../shared/preflight-types.js';
import { EXCHANGE_MAX_MESSAGE_CEILING, type FolderProgress, type OverallProgress, type SyncEvent, type SyncSummary } from '../../shared/sync-types.js';

function bar(done: number, total: number, width = 24): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const full = Math.round(ratio * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

function progressLine(p: FolderProgress): string {
  const eta = p.etaSeconds === null ? '' : p.etaSeconds > 0 ? ` ETA ${p.etaSeconds}s` : '';
  return `${p.folder.padEnd(28).slice(0, 28)} ${bar(p.messagesDone, p.messagesTotal)} ${p.messagesDone}/${p.messagesTotal} msgs ${byteSize(p.bytesDone)} ${byteSize(p.bytesPerSecond)}/s${eta}`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function overallLine(p: OverallProgress): string {
  const left = p.etaSeconds === null ? '' : p.etaSeconds > 0 ? `, about ${duration(p.etaSeconds * 1000)} left` : '';
  return `${'All folders'.padEnd(28)} ${bar(p.messagesDone, p.messagesTotal)} ${p.messagesDone}/${p.messagesTotal} msgs, ${duration(p.elapsedMs)} so far${left}`;
}

/**
 * Progress on stderr: an overall bar and one bar per folder, redrawn in place on a terminal;
 * otherwise one line for the plan and when a folder starts and ends, so logs stay readable.
 */
export function progressRenderer(stream: NodeJS.WriteStream): (event: SyncEvent) => void {
  const live = new Map<string, FolderProgress>();
  let overall: OverallProgress | null = null;
  let drawn = 0;
  const redraw = (): void => {
    if (!stream.isTTY) return;
    if (drawn > 0) stream.write(`\x1b[${drawn}A`);
    const lines = [...(overall && live.size > 0 ? [overallLine(overall)] : []), ...[...live.values()].map(progressLine)];
    for (const line of lines) stream.write(`\x1b[2K${line}\n`);
    drawn = lines.length;
  };
  const say = (text: string): void => {
    if (stream.isTTY && drawn > 0) {
      stream.write(`\x1b[${drawn}A\x1b[0J`);
      drawn = 0;
    }
    stream.write(`${text}\n`);
    redraw();
  };
  return (event) => {
    switch (event.type) {
      case 'plan': {
        const p = event.plan;
        say(`${p.messages} messages (${byteSize(p.bytes)}) in ${p.folders.length} folders; ${p.alreadyDone} already on the target.`);
        return;
      }
      case 'overall':
        overall = event.progress;
        redraw();
        return;
      case 'folder-start': {
        const p = event.progress;
        if (p.messagesDone >= p.messagesTotal) return;
        live.set(p.folder, p);
        if (!stream.isTTY) stream.write(`${p.folder}: ${p.messagesTotal - p.messagesDone} of ${p.messagesTotal} messages to copy (${byteSize(p.bytesTotal - p.bytesDone)})\n`);
        redraw();
        return;
      }
      case 'folder-progress':
        live.set(event.progress.folder, event.progress);
        redraw();
        return;
      case 'folder-done': {
        const had = live.delete(event.summary.source);
        if (had || event.summary.flagsUpdated > 0 || event.summary.alreadyPresent > 0) {
          say(`${event.summary.source} → ${event.summary.target}: ${event.summary.copied} copied, ${event.summary.alreadyPresent} already there, ${event.summary.flagsUpdated} flag updates`);
        }
        return;
      }
      case 'message-failed':
        say(`  not copied: ${event.message.folder} #${event.message.uid}: ${event.message.reason}`);
        return;
      case 'reconnecting':
        say(`  ${event.error.message} Reconnecting in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt}).`);
        return;
      case 'throttled':
        say(`  The server is throttling us; waiting ${event.waitSeconds} s.`);
        return;
      default:
        return;
    }
  };
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 || i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

export function syncSummaryText(s: SyncSummary): string {
  const rows = [['Folder', 'Target', 'Copied', 'Already there', 'Flags updated', 'Messages']];
  for (const f of s.folders) rows.push([f.source, f.target, String(f.copied), String(f.alreadyPresent), String(f.flagsUpdated), String(f.total)]);
  const lines = [table(rows), ''];
  lines.push(`${s.copied} copied, ${s.alreadyPresent} already on the target, ${s.flagsUpdated} flag updates in ${(s.elapsedMs / 1000).toFixed(1)} s.`);
  const dropped = new Map<string, number>();
  for (const f of s.folders) for (const [k, n] of Object.entries(f.keywordsNotKept)) dropped.set(k, (dropped.get(k) ?? 0) + n);
  if (dropped.size > 0) {
    lines.push(`Keywords the target cannot store (messages copied without them): ${[...dropped].map(([k, n]) => `${k} ×${n}`).join(', ')}.`);
  }
  if (s.skipped.length > 0) {
    lines.push('', `Not copied on purpose (${s.skipped.length}):`);
    for (const m of s.skipped) lines.push(`  ${m.folder}  ${m.date?.slice(0, 10) ?? ''}  ${m.subject ?? ''}  ${byteSize(m.size ?? 0)}: ${m.reason}`);
  }
  if (s.failed.length > 0) {
    lines.push('', `Failed (${s.failed.length}); a rerun tries them again:`);
    for (const m of s.failed) lines.push(`  ${m.folder} #${m.uid}  ${m.subject ?? ''}: ${m.reason}`);
  }
  for (const e of s.folderErrors) lines.push(`Folder "${e.folder}" was not finished: ${e.error.message}`);
  if (s.cancelled) lines.push('Cancelled: run the same command again to continue where it stopped.');
  return lines.join('\n');
}

const LEVEL_MARK = { ok: 'OK      ', warning: 'WARNING ', blocking: 'BLOCKING' } as const;

/** What the command line adds to a finding's advice: the flag that goes with it. */
function findingHint(f: Finding, exchange: boolean): string | null {
  if (f.id === 'source-oversized' && exchange) return `Then run sync with --max-message-size ${EXCHANGE_MAX_MESSAGE_CEILING}.`;
  return null;
}

export function preflightText(r: PreflightReport, exchange = false): string {
  const lines: string[] = [];
  for (const f of r.findings) {
    lines.push(`${LEVEL_MARK[f.level]}  ${f.message}`);
    if (f.action) lines.push(`          → ${f.action}`);
    const hint = findingHint(f, exchange);
    if (hint) lines.push(`          → ${hint}`);
  }
  if (r.source) {
    lines.push('', table([['Folder', 'Messages', 'Size'], ...r.source.folders.map((f) => [f.path, String(f.messages), byteSize(f.bytes)])]));
    if (r.source.oversized.length > 0) {
      lines.push('', 'Too large for the target:');
      for (const m of r.source.oversized) lines.push(`  ${m.folder}  ${m.date?.slice(0, 10) ?? ''}  ${m.subject}  ${byteSize(m.size)}`);
    }
  }
  const blocking = r.findings.filter((f) => f.level === 'blocking').length;
  lines.push('', blocking === 0 ? 'Nothing blocks the migration.' : `${blocking} finding(s) block the migration; fix them and run the check again.`);
  return lines.join('\n');
}
