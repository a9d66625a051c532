import { Badge, Caption1, makeStyles, ProgressBar, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens, type BadgeProps } from '@fluentui/react-components';
import { count, plural, size } from '../words/numbers.js';
import type { FolderRow } from './copy-numbers.js';

const useStyles = makeStyles({
  folder: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  target: { color: tokens.colorNeutralForeground3 },
  bar: { width: '5rem', flexShrink: 0 },
  // The table's layout is fixed: each column gets the room its content needs.
  colFolder: { width: '36%' },
  colMessages: { width: '28%' },
  colSize: { width: '16%' },
  colState: { width: '20%' },
  messages: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/** A folder's state as a chip: green only when every message is in; blue while copying; amber or red when something needs the person. */
function chip(r: FolderRow): { text: string; color: BadgeProps['color'] } {
  if (r.total === 0 && r.state !== 'not-copied') return { text: 'Empty', color: 'informative' };
  if (r.state === 'copying') return { text: 'Copying', color: 'brand' };
  if (r.state === 'waiting') return { text: 'Waiting', color: 'informative' };
  if (r.state === 'not-copied') return { text: 'Not copied', color: 'danger' };
  if (r.refused > 0) return { text: `${count(r.refused)} refused`, color: 'danger' };
  if (r.tooLarge > 0) return { text: `${count(r.tooLarge)} too large`, color: 'warning' };
  if (r.state === 'stopped') return { text: 'Paused', color: 'informative' };
  return { text: 'Done', color: 'success' };
}

/** One line per folder: where it goes, how many of its messages are in the new mailbox, its size, its state. */
export function CopyFoldersTable({ rows }: { rows: FolderRow[] }) {
  const styles = useStyles();
  return (
    <div className="table-scroll stack-table">
      <Table size="small" aria-label="Folders">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.colFolder}>Folder</TableHeaderCell>
            <TableHeaderCell className={styles.colMessages}>In the new mailbox</TableHeaderCell>
            <TableHeaderCell className={styles.colSize}>Size</TableHeaderCell>
            <TableHeaderCell className={styles.colState}>State</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => {
            const c = chip(r);
            return (
              <TableRow key={r.folder}>
                <TableCell data-label="Folder" className="wrap">
                  <span className={styles.folder}>
                    <span>{r.folder}</span>
                    {r.target !== r.folder && <Caption1 className={styles.target}>goes to “{r.target}”</Caption1>}
                  </span>
                </TableCell>
                <TableCell data-label="In the new mailbox">
                  {r.total === 0 ? (
                    '—'
                  ) : (
                    <span className={styles.messages}>
                      <ProgressBar className={styles.bar} value={r.done} max={r.total} color={r.state === 'done' && r.done >= r.total ? 'success' : 'brand'} aria-label={`${r.folder}: ${count(r.done)} of ${plural(r.total, 'message', 'messages')}`} />
                      <span>
                        {count(r.done)} of {count(r.total)}
                      </span>
                    </span>
                  )}
                </TableCell>
                <TableCell data-label="Size">{r.bytesTotal === null ? '' : r.bytesDone !== null ? `${size(r.bytesDone)} of ${size(r.bytesTotal)}` : size(r.bytesTotal)}</TableCell>
                <TableCell data-label="State">
                  <Badge appearance="tint" color={c.color}>
                    {c.text}
                  </Badge>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
