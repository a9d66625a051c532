import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { ArrowRight16Regular } from '@fluentui/react-icons';
import { AppIcon } from './app-icon.js';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  name: { ...typographyStyles.subtitle2, flexShrink: 0 },
  pair: {
    ...typographyStyles.body1,
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    minWidth: 0,
    marginLeft: 'auto',
    color: tokens.colorNeutralForeground2,
  },
  address: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
});

/** The app's name and icon, and the mailbox pair once it is known ("anna@old.example → anna@contoso.com"). */
export function AppHeader({ from, to }: { from: string; to: string }) {
  const styles = useStyles();
  return (
    <header className={`app-header ${styles.header}`}>
      <AppIcon size={28} />
      <span className={styles.name}>Cutover</span>
      {from && (
        <p className={styles.pair} aria-label={to ? `Moving ${from} to ${to}` : `Moving ${from}`}>
          <span className={styles.address} title={from}>
            {from}
          </span>
          {to && (
            <>
              <ArrowRight16Regular aria-hidden="true" />
              <span className={styles.address} title={to}>
                {to}
              </span>
            </>
          )}
        </p>
      )}
    </header>
  );
}
