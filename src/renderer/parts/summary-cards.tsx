import { Card, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';

const useStyles = makeStyles({
  card: { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`, gap: tokens.spacingVerticalXXS },
  value: { ...typographyStyles.title2 },
  label: { ...typographyStyles.body1, color: tokens.colorNeutralForeground2 },
});

/** Big numbers first ("1,500 messages · 7 folders · 137 MB"), details below them. */
export function SummaryCards({ items, label }: { items: { value: string; label: string }[]; label: string }) {
  const styles = useStyles();
  return (
    <ul className="cards" aria-label={label}>
      {items.map((i) => (
        <li key={i.label}>
          <Card className={styles.card} appearance="filled-alternative">
            <span className={styles.value}>{i.value}</span>
            <span className={styles.label}>{i.label}</span>
          </Card>
        </li>
      ))}
    </ul>
  );
}
