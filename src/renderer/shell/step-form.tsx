import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  footer: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/**
 * One step's page: its content, then a footer that stays at the bottom of the window with the
 * step's actions (the primary one last, on the right). It is a form, so Enter in any field runs
 * the primary action, which is the footer's submit button.
 */
export function StepForm({ onSubmit, footer, children, label }: { onSubmit: () => void; footer: ReactNode; children: ReactNode; label?: string }) {
  const styles = useStyles();
  return (
    <form
      className="step-form"
      noValidate
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <div className={`step-content ${styles.content}`}>{children}</div>
      <div className={`step-footer ${styles.footer}`}>{footer}</div>
    </form>
  );
}
