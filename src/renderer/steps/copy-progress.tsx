import { Field, makeStyles, ProgressBar, Spinner, Text, tokens } from '@fluentui/react-components';
import type { FolderProgress, OverallProgress } from '../../shared/sync-types.js';
import { count, elapsed, size, timeLeft } from '../words/numbers.js';
import type { CopyNotice } from './use-copy-job.js';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  now: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, minHeight: '24px' },
  numbers: { color: tokens.colorNeutralForeground2 },
  times: { display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', columnGap: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2 },
});

/**
 * What Cutover is doing right now: a line that changes only when the activity changes (it is read
 * out to screen readers), and the numbers that change all the time beside it.
 */
function nowWords(overall: OverallProgress | null, current: FolderProgress | null, notice: CopyNotice | null, planned: boolean): { what: string; numbers: string } {
  if (notice?.kind === 'throttled') return { what: `The mail server asked Cutover to slow down: it waits ${notice.waitSeconds} seconds, then goes on by itself.`, numbers: '' };
  if (notice?.kind === 'reconnecting') return { what: 'The connection dropped: Cutover is connecting again and goes on where it stopped.', numbers: '' };
  if (!planned) return { what: 'Getting ready: counting the messages in each folder of the old mailbox…', numbers: '' };
  if (overall && overall.messagesDone >= overall.messagesTotal) return { what: 'Finishing: checking the last folders…', numbers: '' };
  if (!current || current.messagesDone >= current.messagesTotal) return { what: 'Looking at the next folder…', numbers: '' };
  const speed = current.bytesPerSecond > 0 ? ` · ${size(current.bytesPerSecond)}/s` : '';
  return { what: `Copying “${current.folder}”`, numbers: `${count(current.messagesDone)} of ${count(current.messagesTotal)} messages${speed}` };
}

/**
 * The copy while it runs: one bar for all folders that only moves forward (the engine counts every
 * selected folder before the first message is copied), the time so far and the time left, and what
 * is happening now.
 */
export function CopyProgress({ overall, current, notice, planned, elapsedSeconds }: { overall: OverallProgress | null; current: FolderProgress | null; notice: CopyNotice | null; planned: boolean; elapsedSeconds: number }) {
  const styles = useStyles();
  const now = nowWords(overall, current, notice, planned);
  const total = overall?.messagesTotal ?? 0;
  const done = overall?.messagesDone ?? 0;
  const label = overall && total > 0 ? `${count(done)} of ${count(total)} messages in the new mailbox` : 'Counting the messages…';
  return (
    <section className={styles.panel} aria-label="Progress">
      <Field label={label} hint={overall && overall.bytesTotal > 0 ? `${size(overall.bytesDone)} of ${size(overall.bytesTotal)}` : undefined}>
        <ProgressBar thickness="large" value={total > 0 ? done : undefined} max={total > 0 ? total : undefined} />
      </Field>
      <div className={styles.times}>
        <Text>{elapsed(elapsedSeconds)} so far</Text>
        <Text>{overall && total > 0 ? timeLeft(overall.etaSeconds) : ''}</Text>
      </div>
      <div className={styles.now}>
        <Spinner size="extra-tiny" aria-hidden="true" />
        <Text role="status">{now.what}</Text>
        {now.numbers && <Text className={styles.numbers}>{now.numbers}</Text>}
      </div>
    </section>
  );
}
