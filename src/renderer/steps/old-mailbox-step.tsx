import { Button, Field, Input, MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { ServerSuggestion } from '../../shared/app-api.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { Session } from '../session.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { StepForm } from '../shell/step-form.js';
import { checkEmail } from '../words/field-checks.js';
import { AccountForm, draftEntries, draftProblems, focusFirstProblem, parseDraft, readDraft, testAccount, useShown, type AccountDraft } from './account-fields.js';

type Status = { kind: 'busy'; text: string } | { kind: 'ok' } | { kind: 'problem'; problem: CutoverErrorData } | { kind: 'found'; suggestion: ServerSuggestion; others: ServerSuggestion[] } | { kind: 'not-found'; domain: string } | null;

export function OldMailboxStep({ session }: { session: Session }) {
  const { state } = session;
  const email = session.draft('email') ?? state.email;
  const draft = readDraft(session, 'source', state.source, email);
  const [status, setStatus] = useState<Status>(null);
  const { shown, touch, showAll } = useShown();
  const emailProblem = shown('email') ? checkEmail(email) : null;

  // Every change is saved as typed (never the password), and any earlier result no longer applies.
  const change = (nextEmail: string, next: AccountDraft): void => {
    setStatus(null);
    session.setDrafts({ email: nextEmail, ...draftEntries('source', next) }, { email: nextEmail.trim().slice(0, 320), source: parseDraft(next) });
  };
  const changeEmail = (value: string): void => {
    // The user name follows the address until the person types another one.
    const follows = draft.user === '' || draft.user === email;
    change(value, follows ? { ...draft, user: value.trim() } : draft);
  };
  const find = async (): Promise<void> => {
    if (checkEmail(email)) return showAll();
    setStatus({ kind: 'busy', text: 'Looking for your provider’s settings…' });
    const found = await session.api.suggestServers(email.trim()).catch(() => []);
    const [first, ...others] = found;
    if (!first) return setStatus({ kind: 'not-found', domain: email.split('@')[1] ?? '' });
    change(email, { ...draft, host: first.host, port: String(first.port), tls: first.tls });
    setStatus({ kind: 'found', suggestion: first, others });
  };
  const test = async (): Promise<boolean> => {
    showAll();
    const account = parseDraft(draft);
    if (checkEmail(email) || !account || Object.keys(draftProblems(draft, session.sourcePassword)).length > 0) {
      focusFirstProblem();
      return false;
    }
    const full = { ...account, password: session.sourcePassword };
    if (session.verified('source')) return true;
    setStatus({ kind: 'busy', text: 'Connecting to the old mailbox…' });
    const result = await testAccount(session.api, full, 'source');
    session.setVerified('source', result.ok ? full : null);
    setStatus(result.ok ? { kind: 'ok' } : { kind: 'problem', problem: result.problem });
    return result.ok;
  };
  const next = async (): Promise<void> => {
    if (await test()) session.complete('old-mailbox');
  };
  const busy = status?.kind === 'busy';
  return (
    <StepForm
      onSubmit={() => void next()}
      footer={
        <>
          <Button onClick={() => void test()} disabled={busy}>
            Test connection
          </Button>
          <Button type="submit" appearance="primary" disabled={busy}>
            Next
          </Button>
        </>
      }
    >
      <p>Enter the address and password of the mailbox you are leaving. Cutover only reads it and never changes anything there.</p>
      <div className="inline-action">
        <Field label="E-mail address" validationMessage={emailProblem ?? undefined} validationState={emailProblem ? 'error' : 'none'}>
          <Input type="email" value={email} maxLength={320} autoComplete="email" spellCheck={false} onChange={(_e, d) => changeEmail(d.value)} onBlur={() => email && touch('email')} />
        </Field>
        <Button onClick={() => void find()} disabled={busy}>
          Find my settings
        </Button>
      </div>
      <AccountForm value={draft} onChange={(d) => change(email, d)} password={session.sourcePassword} onPassword={(p) => (setStatus(null), session.setSourcePassword(p))} shown={shown} touch={touch} />
      <div aria-live="polite">
        {status?.kind === 'busy' && <Spinner size="tiny" label={status.text} labelPosition="after" />}
        {status?.kind === 'ok' && (
          <MessageBar intent="success" role="status">
            <MessageBarBody>Connected: Cutover can read this mailbox.</MessageBarBody>
          </MessageBar>
        )}
        {status?.kind === 'found' && (
          <MessageBar intent="info" role="status">
            <MessageBarBody>
              Found your provider’s settings and filled them in. Change them if your provider told you otherwise.
              {status.others.length > 0 && ` Other possible servers: ${status.others.map((s) => `${s.host} (port ${s.port})`).join(', ')}.`}
            </MessageBarBody>
          </MessageBar>
        )}
        {status?.kind === 'not-found' && (
          <MessageBar intent="info" role="status">
            <MessageBarBody>Cutover could not find the settings for {status.domain}. Enter the server your provider gives (it often looks like imap.{status.domain}).</MessageBarBody>
          </MessageBar>
        )}
      </div>
      {status?.kind === 'problem' && <ProblemNotice problem={status.problem} context={{ role: 'source' }} session={session} here="old-mailbox" />}
    </StepForm>
  );
}
