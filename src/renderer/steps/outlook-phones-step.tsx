import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Checkbox, Field, ProgressBar, Spinner } from '@fluentui/react-components';
import type { ChecklistSection } from '../../shared/cutover-day-types.js';
import type { Session } from '../session.js';
import { StepForm } from '../shell/step-form.js';
import { count } from '../words/numbers.js';

/**
 * "Outlook and phones": add the new account on every computer and phone, then remove the old one
 * without losing anything. The items come from the engine as data with stable ids; the ticks live
 * in the wizard state, so they survive a reload and a restart.
 */
export function OutlookPhonesStep({ session }: { session: Session }) {
  const sections = session.checklist;
  if (!sections) return <Spinner label="Loading the checklist…" labelPosition="after" />;
  const done = new Set(session.state.checklistDone);
  const ids = sections.flatMap((s) => s.items.map((i) => i.id));
  const ticked = ids.filter((id) => done.has(id)).length;
  const toggle = (id: string, on: boolean): void => {
    const current = new Set(session.state.checklistDone);
    if (on) current.add(id);
    else current.delete(id);
    // Only ids of this checklist are kept (an id retired by a newer version goes).
    session.update({ checklistDone: ids.filter((i) => current.has(i)) });
  };
  const open = sections.filter((s) => s.items.some((i) => !done.has(i.id))).map((s) => s.id);
  return (
    <StepForm
      onSubmit={() => session.complete('outlook-phones')}
      footer={
        <>
          {ticked < ids.length && <span className="footer-note">{count(ids.length - ticked)} left: Cutover remembers your ticks.</span>}
          <Button type="submit" appearance="primary">
            {ticked === ids.length ? 'Done' : 'Done for now'}
          </Button>
        </>
      }
    >
      <p>Set up each computer and phone you read mail on: add the new account, then remove the old one. Removing an account from a device deletes nothing on any server. Tick each item when it is done.</p>
      <Field label={`${count(ticked)} of ${count(ids.length)} done`} validationState="none">
        <ProgressBar value={ids.length ? ticked / ids.length : 0} thickness="large" color={ticked === ids.length ? 'success' : 'brand'} aria-label={`${count(ticked)} of ${count(ids.length)} done`} />
      </Field>
      {/* Sections still to do are open; a finished one closes (its header says so). The key reopens them after a reload. */}
      <Accordion multiple collapsible defaultOpenItems={open} key={sections.map((s) => s.id).join()}>
        {sections.map((s) => (
          <Section key={s.id} section={s} done={done} toggle={toggle} />
        ))}
      </Accordion>
    </StepForm>
  );
}

function Section({ section, done, toggle }: { section: ChecklistSection; done: Set<string>; toggle: (id: string, on: boolean) => void }) {
  const ticked = section.items.filter((i) => done.has(i.id)).length;
  return (
    <AccordionItem value={section.id}>
      <AccordionHeader as="h2">
        {section.title} ({ticked === section.items.length ? 'done' : `${count(ticked)} of ${count(section.items.length)}`})
      </AccordionHeader>
      <AccordionPanel>
        <ul className="stack plain-list" aria-label={section.title}>
          {section.items.map((item) => (
            <li key={item.id} data-item={item.id}>
              <Checkbox checked={done.has(item.id)} onChange={(_e, d) => toggle(item.id, d.checked === true)} label={<strong>{item.title}</strong>} />
              <ol className="checklist-steps">
                {item.steps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      </AccordionPanel>
    </AccordionItem>
  );
}
