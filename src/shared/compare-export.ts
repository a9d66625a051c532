import type { CompareReport } from './compare-types.js';

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : s;
}

/** The comparison as CSV: one row per missing message plus one row per folder (formula-safe cells). */
export function compareCsv(r: CompareReport): string {
  const rows: (string | number | null)[][] = [['folder', 'target', 'source messages', 'target messages', 'missing', 'extra on target', 'flag differences']];
  for (const f of r.folders) rows.push([f.source, f.target, f.sourceCount, f.targetCount, f.missing.length, f.extraOnTarget, f.flagMismatches]);
  rows.push([], ['missing in folder', 'date', 'from', 'subject', 'size', 'message-id']);
  for (const f of r.folders) for (const m of f.missing) rows.push([f.source, m.date, m.from, m.subject, m.size, m.messageId]);
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function esc(s: string | number | null): string {
  return String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A self-contained printable page of the comparison. */
export function compareHtml(r: CompareReport, when: Date): string {
  const folders = r.folders.map((f) => `<tr><td>${esc(f.source)}</td><td>${f.sourceCount}</td><td>${esc(f.target)}</td><td>${f.targetCount}</td><td>${f.missing.length}</td></tr>`).join('');
  const missing = r.folders.flatMap((f) => f.missing.map((m) => `<tr><td>${esc(f.source)}</td><td>${esc(m.date?.slice(0, 10) ?? '')}</td><td>${esc(m.from)}</td><td>${esc(m.subject)}</td><td>${m.size}</td></tr>`)).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cutover comparison</title><style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left}</style></head><body><h1>Mailbox comparison</h1><p>${esc(when.toISOString())}: ${r.missingTotal === 0 ? 'nothing is missing in the new mailbox' : `${r.missingTotal} messages are missing in the new mailbox`}.</p><table><thead><tr><th>Old folder</th><th>Messages</th><th>New folder</th><th>Messages</th><th>Missing</th></tr></thead><tbody>${folders}</tbody></table>${missing ? `<h2>Missing messages</h2><table><thead><tr><th>Folder</th><th>Date</th><th>From</th><th>Subject</th><th>Size</th></tr></thead><tbody>${missing}</tbody></table>` : ''}</body></html>`;
}
