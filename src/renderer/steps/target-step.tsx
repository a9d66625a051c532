import { Button, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Spinner } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { Session } from '../session.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { StepForm } from '../shell/step-form.js';
import { checkEmail } from '../words/field-checks.js';
import { AccountForm, draftEntries, draftProblems, focusFirstProblem, parseDraft, readDraft, testAccount, useShown, type AccountDraft } from './account-fields.js';
import { M365SignIn } from './m365-sign-in.js';

type Status = { kind: 'busy' } | { kind: 'ok' } | { kind: 'problem'; problem: CutoverErrorData } | null;

export function TargetStep({ session }: { session: Session }) {
  const saved = session.state.target;
  const kindDraft = session.draft('target.kind');
  const kind: 'm365' | 'imap' = kindDraft === 'imap' || kindDraft === 'm365' ? kindDraft : (saved?.kind ?? 'm365');
  // Never the old address: the new one is typed, or taken from the Microsoft 365 sign-in.
  const address = session.draft('m365.user') ?? (saved?.kind === 'm365' ? saved.user : '');
  const draft = readDraft(session, 'target', saved?.kind === 'imap' ? saved.account : null, '');
  const [status, setStatus] = useState<Status>(null);
  const [needSignIn, setNeedSignIn] = useState(false);
  const { shown, touch, showAll } = useShown();
  const signedIn = session.m365?.signedIn ?? false;
  const username = session.m365?.username ?? null;

  const targetFor = (k: 'm365' | 'imap', user: string, d: AccountDraft) => {
    if (k === 'm365') return checkEmail(user) ? null : { kind: 'm365' as const, user: user.trim() };
    const account = parseDraft(d);
    return account ? { kind: 'imap' as const, account } : null;
  };
  const save = (k: 'm365' | 'imap', user: string, d: AccountDraft): void => {
    setStatus(null);
    session.setDrafts({ 'target.kind': k, 'm365.user': user, ...draftEntries('target', d) }, { target: targetFor(k, user, d) });
  };
  // After signing in, an empty address becomes the signed-in account's.
  useEffect(() => {
    if (kind === 'm365' && signedIn && username && !address.trim()) save('m365', username, draft);
    if (signedIn) setNeedSignIn(false);
  }, [signedIn, username]);

  const addressProblem = shown('address') ? checkEmail(address) : null;
  const next = async (): Promise<void> => {
    showAll();
    if (kind === 'm365') {
      if (checkEmail(address)) return focusFirstProblem();
      if (!signedIn) return setNeedSignIn(true);
      return session.complete('microsoft-365');
    }
    if (await test()) session.complete('microsoft-365');
  };
  const test = async (): Promise<boolean> => {
    showAll();
    const account = parseDraft(draft);
    if (!account || Object.keys(draftProblems(draft, session.targetPassword)).length > 0) {
      focusFirstProblem();
      return false;
    }
    const full = { ...account, password: session.targetPassword };
    if (session.verified('target')) return true;
    setStatus({ kind: 'busy' });
    const result = await testAccount(session.api, full, 'target');
    session.setVerified('target', result.ok ? full : null);
    setStatus(result.ok ? { kind: 'ok' } : { kind: 'problem', problem: result.problem });
    return result.ok;
  };
  const busy = status?.kind === 'busy';
  return (
    <StepForm
      onSubmit={() => void next()}
      footer={
        <>
          {kind === 'imap' && (
            <Button onClick={() => void test()} disabled={busy}>
              Test connection
            </Button>
          )}
          <Button type="submit" appearance="primary" disabled={busy}>
            Next
          </Button>
        </>
      }
    >
      <Field label="Where should the mail go?">
        <RadioGroup value={kind} onChange={(_e, d) => save(d.value === 'imap' ? 'imap' : 'm365', address, draft)}>
          <Radio value="m365" label="Microsoft 365 / Exchange Online" />
          <Radio value="imap" label="Another IMAP mailbox" />
        </RadioGroup>
      </Field>
      {kind === 'm365' ? (
        <>
          <Field label="Microsoft 365 address" hint="Your new address, for example anna@contoso.com." validationMessage={addressProblem ?? undefined} validationState={addressProblem ? 'error' : 'none'}>
            <Input type="email" value={address} maxLength={320} autoComplete="off" spellCheck={false} onChange={(_e, d) => save('m365', d.value, draft)} onBlur={() => address && touch('address')} />
          </Field>
          <M365SignIn session={session} address={address} needSignIn={needSignIn} />
        </>
      ) : (
        <>
          <p>The server settings of the new mailbox, from your new provider.</p>
          <AccountForm value={draft} onChange={(d) => save('imap', address, d)} password={session.targetPassword} onPassword={(p) => (setStatus(null), session.setTargetPassword(p))} shown={shown} touch={touch} />
          <div aria-live="polite">
            {busy && <Spinner size="tiny" label="Connecting to the new mailbox…" labelPosition="after" />}
            {status?.kind === 'ok' && (
              <MessageBar intent="success" role="status">
                <MessageBarBody>Connected: Cutover can reach the new mailbox.</MessageBarBody>
              </MessageBar>
            )}
          </div>
          {status?.kind === 'problem' && <ProblemNotice problem={status.problem} context={{ role: 'target' }} session={session} here="microsoft-365" />}
        </>
      )}
    </StepForm>
  );
}
