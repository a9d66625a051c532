import { Badge, Button, Caption1, makeStyles, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens, type BadgeProps } from '@fluentui/react-components';
import type { FolderComparison } from '../../shared/compare-types.js';
import { count, day, plural, size } from '../words/numbers.js';

const useStyles = makeStyles({
  folder: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  chips: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  details: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // The tables' layout is fixed: each column gets the room its content needs.
  w10: { width: '10%' },
  w12: { width: '12%' },
  w14: { width: '14%' },
  w22: { width: '22%' },
  w24: { width: '24%' },
  w28: { width: '28%' },
  w36: { width: '36%' },
  w38: { width: '38%' },
  w54: { width: '54%' },
});

/** Extra copies of messages in a folder (a message twice in the new mailbox counts once). */
export function extraCopies(f: FolderComparison): number {
  return f.duplicates.reduce((n, d) => n + d.copies, 0);
}

/** A folder's state as chips: green only when nothing is missing and nothing is duplicated; amber when it needs the person. */
export function folderChips(f: FolderComparison): { text: string; color: BadgeProps['color'] }[] {
  if (f.leftOut) return [{ text: 'Left out', color: 'informative' }];
  const chips: { text: string; color: BadgeProps['color'] }[] = [];
  if (f.missing.length > 0) chips.push({ text: `${count(f.missing.length)} missing`, color: 'warning' });
  if (f.duplicates.length > 0) chips.push({ text: `${plural(extraCopies(f), 'extra copy', 'extra copies')}`, color: 'warning' });
  return chips.length ? chips : [{ text: 'Complete', color: 'success' }];
}

function needsLook(f: FolderComparison): boolean {
  return !f.leftOut && (f.missing.length > 0 || f.duplicates.length > 0);
}

/** Both mailboxes side by side, one line per folder of the old mailbox; a folder with something to see opens below. */
export function CompareFoldersTable({ folders, open, onOpen }: { folders: FolderComparison[]; open: string | null; onOpen: (folder: string | null) => void }) {
  const styles = useStyles();
  return (
    <div className="table-scroll stack-table">
      <Table size="small" aria-label="Folders side by side">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.w36}>Folder</TableHeaderCell>
            <TableHeaderCell className={styles.w14}>Old mailbox</TableHeaderCell>
            <TableHeaderCell className={styles.w14}>New mailbox</TableHeaderCell>
            <TableHeaderCell className={styles.w24}>State</TableHeaderCell>
            <TableHeaderCell className={styles.w12}>
              <span className="visually-hidden">Details</span>
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {folders.map((f) => (
            <TableRow key={f.source}>
              <TableCell data-label="Folder" className="wrap">
                <span className={styles.folder}>
                  <span>{f.source}</span>
                  {f.target !== null && f.target !== f.source && <Caption1 className={styles.muted}>goes to “{f.target}”</Caption1>}
                </span>
              </TableCell>
              <TableCell data-label="Old mailbox">{count(f.sourceCount)}</TableCell>
              <TableCell data-label="New mailbox">{f.leftOut ? '—' : count(f.targetCount)}</TableCell>
              <TableCell data-label="State">
                <span className={styles.chips}>
                  {folderChips(f).map((c) => (
                    <Badge key={c.text} appearance="tint" color={c.color}>
                      {c.text}
                    </Badge>
                  ))}
                </span>
              </TableCell>
              <TableCell data-label="">
                {needsLook(f) && (
                  <Button size="small" aria-expanded={open === f.source} aria-label={`${open === f.source ? 'Hide' : 'Show'} the messages of “${f.source}”`} onClick={() => onOpen(open === f.source ? null : f.source)}>
                    {open === f.source ? 'Hide' : 'Show'}
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** What is missing in one folder and what is there more than once, with a note on messages the new mailbox refused. */
export function FolderDetails({ folder, refused }: { folder: FolderComparison; refused: (uid: number) => boolean }) {
  const styles = useStyles();
  return (
    <section className={styles.details} aria-label={`The messages of “${folder.source}”`}>
      {folder.missing.length > 0 && (
        <>
          <Subtitle2 as="h2">Missing in “{folder.target ?? folder.source}”</Subtitle2>
          <div className="table-scroll stack-table">
            <Table size="small" aria-label={`Missing in “${folder.source}”`}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={styles.w22}>Date</TableHeaderCell>
                  <TableHeaderCell className={styles.w28}>From</TableHeaderCell>
                  <TableHeaderCell className={styles.w38}>Subject</TableHeaderCell>
                  <TableHeaderCell className={styles.w12}>Size</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {folder.missing.map((m) => (
                  <TableRow key={m.uid}>
                    <TableCell data-label="Date">{m.date ? day(m.date) : ''}</TableCell>
                    <TableCell data-label="From" className="wrap">
                      {m.from}
                    </TableCell>
                    <TableCell data-label="Subject" className="wrap">
                      {m.subject || '(no subject)'}
                      {refused(m.uid) && (
                        <>
                          {' '}
                          <Badge appearance="tint" color="danger">
                            refused by the new mailbox
                          </Badge>
                        </>
                      )}
                    </TableCell>
                    <TableCell data-label="Size">{size(m.size)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}
      {folder.duplicates.length > 0 && (
        <>
          <Subtitle2 as="h2">More than once in “{folder.target ?? folder.source}”</Subtitle2>
          <Text>Each of these is in the new mailbox more often than in the old one.</Text>
          <div className="table-scroll stack-table">
            <Table size="small" aria-label={`More than once in “${folder.source}”`}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={styles.w28}>Date</TableHeaderCell>
                  <TableHeaderCell className={styles.w54}>Subject</TableHeaderCell>
                  <TableHeaderCell className={styles.w14}>Extra copies</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {folder.duplicates.map((d, i) => (
                  <TableRow key={`${d.messageId ?? ''}-${i}`}>
                    <TableCell data-label="Date">{d.date ? day(d.date) : ''}</TableCell>
                    <TableCell data-label="Subject" className="wrap">
                      {d.subject || '(no subject)'}
                    </TableCell>
                    <TableCell data-label="Extra copies">{count(d.copies)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}
    </section>
  );
}
