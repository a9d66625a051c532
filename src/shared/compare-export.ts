import type { CompareReport, FolderComparison } from './compare-types.js';
import { escapeHtml } from './html-text.js';

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : s;
}

function status(f: FolderComparison): string {
  if (f.leftOut) return 'left out';
  const parts: string[] = [];
  if (f.missing.length > 0) parts.push(`${f.missing.length} missing`);
  const extra = f.duplicates.reduce((n, d) => n + d.copies, 0);
  if (extra > 0) parts.push(`${extra} duplicated`);
  return parts.length ? parts.join(', ') : 'complete';
}

/** The summary sentence of a comparison, as the printable page and the CSV say it. */
export function compareSentence(r: CompareReport): string {
  if (r.complete) return 'nothing is missing in the new mailbox and nothing is duplicated';
  const parts: string[] = [];
  if (r.missingTotal > 0) parts.push(`${r.missingTotal} messages are missing in the new mailbox`);
  if (r.duplicateTotal > 0) parts.push(`${r.duplicateTotal} extra copies are in the new mailbox`);
  return parts.join('; ');
}

/** The comparison as CSV: one row per folder, then one per missing message and per duplicate (formula-safe cells). */
export function compareCsv(r: CompareReport): string {
  const rows: (string | number | null)[][] = [['folder', 'target', 'source messages', 'target messages', 'missing', 'extra copies', 'other mail on target', 'flag differences', 'status']];
  for (const f of r.folders) {
    rows.push([f.source, f.target, f.sourceCount, f.targetCount, f.missing.length, f.duplicates.reduce((n, d) => n + d.copies, 0), f.extraOnTarget, f.flagMismatches, status(f)]);
  }
  rows.push([], ['missing in folder', 'date', 'from', 'subject', 'size', 'message-id']);
  for (const f of r.folders) for (const m of f.missing) rows.push([f.source, m.date, m.from, m.subject, m.size, m.messageId]);
  if (r.duplicateTotal > 0) {
    rows.push([], ['duplicated in folder', 'date', 'subject', 'extra copies', 'message-id']);
    for (const f of r.folders) for (const d of f.duplicates) rows.push([f.source, d.date, d.subject, d.copies, d.messageId]);
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A self-contained printable page of the comparison. */
export function compareHtml(r: CompareReport, when: Date): string {
  const folders = r.folders
    .map((f) => `<tr><td>${escapeHtml(f.source)}</td><td>${f.sourceCount}</td><td>${escapeHtml(f.target ?? '')}</td><td>${f.leftOut ? '' : f.targetCount}</td><td>${escapeHtml(status(f))}</td></tr>`)
    .join('');
  const missing = r.folders.flatMap((f) => f.missing.map((m) => `<tr><td>${escapeHtml(f.source)}</td><td>${escapeHtml(m.date?.slice(0, 10) ?? '')}</td><td>${escapeHtml(m.from)}</td><td>${escapeHtml(m.subject)}</td><td>${m.size}</td></tr>`)).join('');
  const duplicates = r.folders.flatMap((f) => f.duplicates.map((d) => `<tr><td>${escapeHtml(f.source)}</td><td>${escapeHtml(d.date?.slice(0, 10) ?? '')}</td><td>${escapeHtml(d.subject)}</td><td>${d.copies}</td></tr>`)).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cutover comparison</title><style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left}</style></head><body><h1>Mailbox comparison</h1><p>${escapeHtml(when.toISOString())}: ${escapeHtml(compareSentence(r))}.</p><table><thead><tr><th>Old folder</th><th>Messages</th><th>New folder</th><th>Messages</th><th>Status</th></tr></thead><tbody>${folders}</tbody></table>${missing ? `<h2>Missing messages</h2><table><thead><tr><th>Folder</th><th>Date</th><th>From</th><th>Subject</th><th>Size</th></tr></thead><tbody>${missing}</tbody></table>` : ''}${duplicates ? `<h2>Extra copies</h2><table><thead><tr><th>Folder</th><th>Date</th><th>Subject</th><th>Extra copies</th></tr></thead><tbody>${duplicates}</tbody></table>` : ''}</body></html>`;
}
