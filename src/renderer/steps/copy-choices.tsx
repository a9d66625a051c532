import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Checkbox, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { SyncChoices, WizardState } from '../../shared/app-api.js';
import { DEFAULT_COPY_CONNECTIONS, EXCHANGE_DEFAULT_MAX_MESSAGE, EXCHANGE_MAX_CONNECTIONS, EXCHANGE_MAX_MESSAGE_CEILING } from '../../shared/sync-types.js';
import type { Session } from '../session.js';

type Choices = WizardState['copyChoices'];

const MB = 1024 * 1024;

/** What a copy (or copying the missing messages) asks for: the folder rules and the "Advanced" choices saved with the wizard. */
export function copyRequest(session: Session, repair: boolean): SyncChoices {
  const { connections, markReceiptsSent, maxMessageSize } = session.state.copyChoices;
  return { exclude: session.state.excluded, rename: session.state.renamed, repair, connections, markReceiptsSent, maxMessageSize };
}

/** Whole numbers in a range, as typed; the sentence beside the field, or null when it is fine (empty is fine: the default). */
export function checkWhole(text: string, min: number, max: number, what: string): string | null {
  const t = text.trim();
  if (!t) return null;
  if (!/^\d+$/.test(t)) return `Enter ${what} as a whole number.`;
  const n = Number(t);
  return n < min || n > max ? `Enter a number from ${min} to ${max}.` : null;
}

/**
 * The folders step's "Advanced" choices for the copy: how many connections at once, the largest
 * message to copy and, for Microsoft 365, whether messages asking for a read receipt get $MDNSent.
 * Saved with the wizard state (the copy step's start reads them); empty fields mean Cutover's default.
 */
export function CopyChoices({ session }: { session: Session }) {
  const m365 = session.state.target?.kind === 'm365';
  const saved = session.state.copyChoices;
  const maxConnections = m365 ? EXCHANGE_MAX_CONNECTIONS : 16;
  const maxMb = m365 ? EXCHANGE_MAX_MESSAGE_CEILING / MB : 10_000;
  const save = (patch: Partial<Choices>): void => session.update({ copyChoices: { ...saved, ...patch } });
  return (
    <Accordion collapsible>
      <AccordionItem value="advanced">
        <AccordionHeader>Advanced</AccordionHeader>
        <AccordionPanel>
          <div className="stack">
            <WholeNumberField
              label="Connections at once"
              hint={
                m365
                  ? `Empty: ${EXCHANGE_MAX_CONNECTIONS}, the most Microsoft 365 allows for one mailbox. Cutover starts with this many and keeps each only while it makes the copy faster.`
                  : `Empty: ${DEFAULT_COPY_CONNECTIONS}. Cutover starts with this many and keeps each only while it makes the copy faster; some servers allow fewer.`
              }
              what="the number of connections"
              max={maxConnections}
              maxLength={3}
              initial={saved.connections === null ? '' : String(saved.connections)}
              onValid={(n) => save({ connections: n })}
            />
            <WholeNumberField
              label="Largest message to copy (MB)"
              hint={m365 ? `Empty: ${EXCHANGE_DEFAULT_MAX_MESSAGE / MB} MB, Microsoft 365’s usual limit. An admin can raise a mailbox’s limit up to ${EXCHANGE_MAX_MESSAGE_CEILING / MB} MB.` : 'Empty: no limit. Larger messages are listed instead of copied.'}
              what="the size in MB"
              max={maxMb}
              maxLength={5}
              initial={saved.maxMessageSize === null ? '' : String(Math.round(saved.maxMessageSize / MB))}
              onValid={(n) => save({ maxMessageSize: n === null ? null : n * MB })}
            />
            {m365 && (
              <Field hint="Outlook would otherwise send read receipts for old messages that asked for one. Those messages show a category named “$MDNSent”.">
                <Checkbox label="Mark messages that ask for a read receipt as answered" checked={saved.markReceiptsSent} onChange={(_e, d) => save({ markReceiptsSent: d.checked === true })} />
              </Field>
            )}
            <Text size={200}>These apply to the copy and to copying missing messages from the comparison.</Text>
          </div>
        </AccordionPanel>
      </AccordionItem>
    </Accordion>
  );
}

/**
 * A field for a whole number from 1 to `max`, empty meaning Cutover's default: what is typed stays
 * as typed, the problem is shown under it, and only a valid value (or empty, as null) is saved.
 */
function WholeNumberField(props: { label: string; hint: string; what: string; max: number; maxLength: number; initial: string; onValid: (n: number | null) => void }) {
  const { label, hint, what, max, maxLength, initial, onValid } = props;
  const [text, setText] = useState(initial);
  const problem = checkWhole(text, 1, max, what);
  return (
    <Field label={label} hint={hint} validationMessage={problem ?? undefined} validationState={problem ? 'error' : 'none'}>
      <Input
        inputMode="numeric"
        value={text}
        maxLength={maxLength}
        onChange={(_e, d) => {
          setText(d.value);
          if (!checkWhole(d.value, 1, max, '')) onValid(d.value.trim() ? Number(d.value) : null);
        }}
      />
    </Field>
  );
}
