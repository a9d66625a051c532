import { byteSize } from '../../shared/byte-size.js';
import type { CompareReport, ExtraCopiesPlan, FolderComparison } from '../../shared/compare-types.js';
import { table } from './render-progress.js';

function extraCopies(f: FolderComparison): number {
  return f.duplicates.reduce((n, d) => n + d.copies, 0);
}

function status(f: FolderComparison): string {
  if (f.leftOut) return 'left out';
  if (f.missing.length === 0 && f.duplicates.length === 0) return 'complete';
  return [f.missing.length ? `${f.missing.length} missing` : '', f.duplicates.length ? `${extraCopies(f)} extra copies` : ''].filter(Boolean).join(', ');
}

export function compareText(r: CompareReport): string {
  const rows = [['Folder', 'Target', 'Source', 'Target msgs', 'Missing', 'Extra copies', 'Other mail', 'Flag diffs', 'Status']];
  for (const f of r.folders) {
    rows.push([
      f.source,
      f.target ?? '(left out)',
      String(f.sourceCount),
      f.leftOut ? '' : String(f.targetCount),
      f.leftOut ? '' : String(f.missing.length),
      f.leftOut ? '' : String(extraCopies(f)),
      f.leftOut ? '' : String(f.extraOnTarget),
      f.leftOut ? '' : String(f.flagMismatches),
      status(f),
    ]);
  }
  const lines = [table(rows), ''];
  if (r.complete) lines.push('Nothing is missing on the target and nothing is duplicated.');
  if (r.missingTotal > 0) {
    lines.push(`${r.missingTotal} messages are missing on the target:`);
    for (const f of r.folders) for (const m of f.missing) lines.push(`  ${f.source}  ${m.date?.slice(0, 10) ?? ''}  ${m.from}  ${m.subject}  ${byteSize(m.size)}`);
  }
  if (r.duplicateTotal > 0) {
    lines.push(`${r.duplicateTotal} extra copies are on the target (a message there more often than on the source):`);
    for (const f of r.folders) for (const d of f.duplicates) lines.push(`  ${f.source}  ${d.date?.slice(0, 10) ?? ''}  ${d.subject}  (${d.copies} extra)`);
  }
  const other = r.folders.reduce((n, f) => n + f.extraOnTarget, 0);
  if (other > 0) lines.push(`${other} messages on the target are not from the source (they were there before, or came from elsewhere); they are left alone.`);
  const leftOut = r.folders.filter((f) => f.leftOut).map((f) => f.source);
  if (leftOut.length > 0) lines.push(`Left out on purpose: ${leftOut.join(', ')}.`);
  return lines.join('\n');
}

export function extraCopiesText(plan: ExtraCopiesPlan): string {
  const lines: string[] = [];
  if (plan.remove === 0 && plan.keptUnproven === 0) return 'No extra copies: every message is on the target at most as often as on the source.';
  for (const f of plan.folders) {
    lines.push(`${f.source} → ${f.target}:`);
    for (const g of f.groups) {
      const kept = g.keptUnproven > 0 ? `, ${g.keptUnproven} kept (not provably made by Cutover)` : '';
      lines.push(`  ${g.date?.slice(0, 10) ?? ''}  ${g.subject}  source ${g.sourceCount}×, target ${g.targetCount}×: remove ${g.remove}${kept}`);
    }
  }
  lines.push('', plan.remove > 0 ? `${plan.remove} extra copies Cutover made can be removed.` : 'None of the extra copies was made by Cutover: nothing to remove.');
  if (plan.keptUnproven > 0) lines.push(`${plan.keptUnproven} extra copies are left alone: Cutover cannot prove it made them.`);
  return lines.join('\n');
}
