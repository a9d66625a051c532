import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import type { MessageRef } from '../../shared/sync-types.js';
import { count, day, size } from '../words/numbers.js';
import { isFlagsOnly, refusalWords, tooLargeWords } from './sync-words.js';

const useStyles = makeStyles({
  // The table's layout is fixed: each column gets the room its content needs.
  folder: { width: '18%' },
  subject: { width: '30%' },
  date: { width: '20%' },
  size: { width: '10%' },
  why: { width: '22%' },
});

function MessageTable({ label, messages, why }: { label: string; messages: MessageRef[]; why: (m: MessageRef) => string }) {
  const styles = useStyles();
  return (
    <div className="table-scroll stack-table">
      <Table size="small" aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.folder}>Folder</TableHeaderCell>
            <TableHeaderCell className={styles.subject}>Subject</TableHeaderCell>
            <TableHeaderCell className={styles.date}>Date</TableHeaderCell>
            <TableHeaderCell className={styles.size}>Size</TableHeaderCell>
            <TableHeaderCell className={styles.why}>Why</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {messages.map((m) => (
            <TableRow key={`${m.folder}-${m.uid}`}>
              <TableCell data-label="Folder" className="wrap">
                {m.folder}
              </TableCell>
              <TableCell data-label="Subject" className="wrap">
                {m.subject || '(no subject)'}
              </TableCell>
              <TableCell data-label="Date">{m.date ? day(m.date) : ''}</TableCell>
              <TableCell data-label="Size">{m.size ? size(m.size) : ''}</TableCell>
              <TableCell data-label="Why" className="wrap">
                {why(m)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/**
 * The messages that are not in the new mailbox, in sections that open on demand: those it refused
 * (with why, in plain words) and those left out because they are larger than it accepts.
 */
export function CopyMessages({ refused, tooLarge }: { refused: MessageRef[]; tooLarge: MessageRef[] }) {
  const notIn = refused.filter((m) => !isFlagsOnly(m));
  const marks = refused.filter(isFlagsOnly);
  if (notIn.length + marks.length + tooLarge.length === 0) return null;
  // Trying again does not help a message the new mailbox finds too large.
  const allTooLarge = notIn.every((m) => refusalWords(m) === 'Larger than the new mailbox accepts');
  // A few refusals are open from the start: the person wants to know which messages they are.
  const open = notIn.length > 0 && notIn.length <= 20 ? ['refused'] : [];
  return (
    <Accordion collapsible multiple defaultOpenItems={open}>
      {notIn.length > 0 && (
        <AccordionItem value="refused">
          <AccordionHeader>Messages the new mailbox refused ({count(notIn.length)})</AccordionHeader>
          <AccordionPanel>
            <Text as="p">
              {allTooLarge
                ? 'They are still in the old mailbox. The new mailbox does not take messages this large: save them (or their attachments) from the old mailbox before you stop using it, or ask your new provider to raise the limit.'
                : 'They are still in the old mailbox. Try them again later (“Try the refused ones again”); if the new mailbox keeps refusing them, save them from the old mailbox before you stop using it.'}
            </Text>
            <MessageTable label="Messages the new mailbox refused" messages={notIn} why={refusalWords} />
          </AccordionPanel>
        </AccordionItem>
      )}
      {tooLarge.length > 0 && (
        <AccordionItem value="too-large">
          <AccordionHeader>Messages too large for the new mailbox ({count(tooLarge.length)})</AccordionHeader>
          <AccordionPanel>
            <Text as="p">Cutover leaves them out on purpose: the new mailbox does not accept messages this large. They stay in the old mailbox; save them (or their attachments) elsewhere before you stop using it.</Text>
            <MessageTable label="Messages too large for the new mailbox" messages={tooLarge} why={tooLargeWords} />
          </AccordionPanel>
        </AccordionItem>
      )}
      {marks.length > 0 && (
        <AccordionItem value="marks">
          <AccordionHeader>Messages copied without their marks ({count(marks.length)})</AccordionHeader>
          <AccordionPanel>
            <Text as="p">These messages are in the new mailbox, but the new mailbox did not take their marks (read, flagged). Copying again tries once more.</Text>
            <MessageTable label="Messages copied without their marks" messages={marks} why={refusalWords} />
          </AccordionPanel>
        </AccordionItem>
      )}
    </Accordion>
  );
}
