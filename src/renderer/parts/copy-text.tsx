import { Button, Field, Textarea } from '@fluentui/react-components';
import { Copy20Regular } from '@fluentui/react-icons';
import { useState } from 'react';

/** A text to hand on (to an admin), in a box that can be selected, with a button that copies it. */
export function CopyText({ label, text, rows = 8 }: { label: string; text: string; rows?: number }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      // Some windows may not use the clipboard: the text is selectable in the box.
      setCopied('no');
    }
  };
  return (
    <div className="stack">
      <Field label={label}>
        <Textarea className="copy-box" value={text} readOnly rows={rows} resize="vertical" onFocus={(e) => e.currentTarget.select()} />
      </Field>
      <div className="row">
        <Button icon={<Copy20Regular />} onClick={() => void copy()}>
          Copy the message
        </Button>
        <span role="status">{copied === 'yes' ? 'Copied. Paste it into an e-mail to your admin.' : copied === 'no' ? 'Select the text in the box and copy it (Ctrl+C or ⌘C).' : ''}</span>
      </div>
    </div>
  );
}
