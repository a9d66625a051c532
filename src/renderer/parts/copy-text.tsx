import { Button, Field, Textarea } from '@fluentui/react-components';
import { Copy20Regular } from '@fluentui/react-icons';
import { useCopy } from './copy-code.js';

/** A text to hand on (to an admin), in a box that can be selected, with a button that copies it. */
export function CopyText({ label, text, rows = 8 }: { label: string; text: string; rows?: number }) {
  const { copy, note } = useCopy(text, 'Copied. Paste it into an e-mail to your admin.', 'Select the text in the box and copy it (Ctrl+C or ⌘C).');
  return (
    <div className="stack">
      <Field label={label}>
        <Textarea className="copy-box" value={text} readOnly rows={rows} resize="vertical" onFocus={(e) => e.currentTarget.select()} />
      </Field>
      <div className="row">
        <Button icon={<Copy20Regular />} onClick={() => void copy()}>
          Copy the message
        </Button>
        <span role="status">{note}</span>
      </div>
    </div>
  );
}
