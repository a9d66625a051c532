import { makeStyles, mergeClasses, tokens, Tooltip, typographyStyles } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, Circle20Regular, LockClosed20Regular, SubtractCircle20Regular, Warning20Filled } from '@fluentui/react-icons';
import type { WizardStep } from '../../shared/app-api.js';
import type { StepStatus, StepView } from './step-status.js';

export interface StepperItem extends StepView {
  step: WizardStep;
  title: string;
}

const STATUS_WORD: Record<StepStatus, string> = {
  done: 'done',
  attention: 'needs attention',
  blocked: 'not yet possible',
  todo: 'to do',
  'not-needed': 'not needed',
};

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', gap: tokens.spacingVerticalXXS },
  item: {
    ...typographyStyles.body1,
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    width: '100%',
    minHeight: '36px',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground1,
    textAlign: 'start',
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  current: {
    ...typographyStyles.body1Strong,
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}`,
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundSelected },
  },
  blocked: { color: tokens.colorNeutralForeground3 },
  marker: { display: 'inline-flex', flexShrink: 0, width: '20px', justifyContent: 'center' },
  done: { color: tokens.colorPaletteGreenForeground1 },
  attention: { color: tokens.colorPaletteMarigoldForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
  number: { ...typographyStyles.caption1Strong, position: 'relative', display: 'inline-flex' },
  numberText: { position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: '11px' },
});

/**
 * The wizard's steps, each with its status (done, needs attention, not yet possible, not needed) and
 * the reason on hover and focus. A column on the left; the layout CSS turns it into a top bar on
 * narrow windows, where only the current step keeps its name on screen.
 */
export function Stepper({ steps, current, onGo }: { steps: StepperItem[]; current: WizardStep; onGo: (step: WizardStep) => void }) {
  const styles = useStyles();
  return (
    <nav className="stepper" aria-label="Migration steps">
      <ol className={`stepper-list ${styles.list}`}>
        {steps.map((s, i) => {
          const isCurrent = s.step === current;
          const reasonId = `step-reason-${s.step}`;
          return (
            <li key={s.step} className={isCurrent ? 'stepper-item current' : 'stepper-item'}>
              <Tooltip content={s.reason} relationship="inaccessible" positioning="after" withArrow>
                <button
                  type="button"
                  className={mergeClasses(styles.item, isCurrent && styles.current, s.status === 'blocked' && !isCurrent && styles.blocked)}
                  aria-current={isCurrent ? 'step' : undefined}
                  aria-describedby={reasonId}
                  data-status={s.status}
                  onClick={() => onGo(s.step)}
                >
                  <span className={mergeClasses(styles.marker, s.status === 'done' && styles.done, s.status === 'attention' && styles.attention, (s.status === 'blocked' || s.status === 'not-needed') && styles.muted)}>
                    <StatusIcon status={s.status} number={i + 1} classes={styles} />
                  </span>
                  <span className="stepper-label">
                    <span className="visually-hidden">{i + 1}. </span>
                    {s.title}
                  </span>
                </button>
              </Tooltip>
              <span id={reasonId} className="visually-hidden">
                {`${STATUS_WORD[s.status]}. ${s.reason}`}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function StatusIcon({ status, number, classes }: { status: StepStatus; number: number; classes: { number: string; numberText: string } }) {
  if (status === 'done') return <CheckmarkCircle20Filled aria-hidden="true" />;
  if (status === 'attention') return <Warning20Filled aria-hidden="true" />;
  if (status === 'blocked') return <LockClosed20Regular aria-hidden="true" />;
  if (status === 'not-needed') return <SubtractCircle20Regular aria-hidden="true" />;
  return (
    <span className={classes.number} aria-hidden="true">
      <Circle20Regular />
      <span className={classes.numberText}>{number}</span>
    </span>
  );
}
