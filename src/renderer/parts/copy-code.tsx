import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { Copy20Regular } from '@fluentui/react-icons';
import { useState } from 'react';

const useStyles = makeStyles({
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    margin: 0,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
});

/**
 * Copies a text; says so (`done`), or how to copy by hand where the window may not use the clipboard
 * (`byHand`: the text stays selectable on the page).
 */
export function useCopy(text: string, done = 'Copied.', byHand = 'Select the text and copy it (Ctrl+C or ⌘C).'): { copy: () => Promise<void>; note: string } {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return { copy, note: copied === 'yes' ? done : copied === 'no' ? byHand : '' };
}

/** A command or address to hand on, in a code block, with a button that copies it. */
export function CopyCode({ label, text }: { label: string; text: string }) {
  const styles = useStyles();
  const { copy, note } = useCopy(text);
  return (
    <figure className="stack copy-code" aria-label={label}>
      <figcaption>{label}</figcaption>
      <pre className={styles.code}>
        <code>{text}</code>
      </pre>
      <div className="row">
        <Button icon={<Copy20Regular />} onClick={() => void copy()}>
          Copy
        </Button>
        <span role="status">{note}</span>
      </div>
    </figure>
  );
}

/** One setting's value with a small copy button beside it (settings cards). */
export function CopyValue({ name, value }: { name: string; value: string }) {
  const { copy, note } = useCopy(value);
  return (
    <span className="row">
      <strong>{value}</strong>
      <Button size="small" appearance="subtle" icon={<Copy20Regular />} aria-label={`Copy ${name}`} title={`Copy ${name}`} onClick={() => void copy()} />
      <span role="status" className="caption">
        {note}
      </span>
    </span>
  );
}
