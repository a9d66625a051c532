import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Field, Input, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { Session } from '../session.js';
import { problemOf } from '../api/problem-of.js';
import { CopyText } from '../parts/copy-text.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { adminMessage } from '../words/admin-message.js';
import { checkClientId, checkTenant, domainOf } from '../words/field-checks.js';

type Prompt = { url: string; userCode: string | null; message: string };

/**
 * Who is signed in to Microsoft 365, and the sign-in itself (in the browser or with a code). Without
 * an app registration it says what to ask the admin, with the message ready to send.
 */
export function M365SignIn({ session, address, needSignIn }: { session: Session; address: string; needSignIn: boolean }) {
  const status = session.m365;
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<CutoverErrorData | null>(null);
  const clientId = session.draft('m365.clientId') ?? '';
  const tenant = session.draft('m365.tenant') ?? '';
  useEffect(
    () =>
      session.api.onEvent((e) => {
        if (e.type === 'm365-sign-in') setPrompt({ url: e.url, userCode: e.userCode, message: e.message });
      }),
    [session.api],
  );
  const clientProblem = checkClientId(clientId);
  const tenantProblem = checkTenant(tenant);
  const domain = domainOf(address);
  const noClientId = status?.hasClientId === false && (!clientId.trim() || clientProblem !== null);
  const signIn = async (deviceCode: boolean): Promise<void> => {
    if (clientProblem || tenantProblem) return;
    setBusy(true);
    setProblem(null);
    setPrompt(null);
    try {
      // A registration made for one organisation needs that organisation named: the address's domain does.
      const givenTenant = tenant.trim() || (clientId.trim() && domain ? domain : '');
      const s = await session.api.m365SignIn({ deviceCode, clientId: clientId.trim() || null, tenant: givenTenant || null });
      session.setM365(s);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
      setPrompt(null);
    }
  };
  const signOut = async (): Promise<void> => {
    await session.api.m365SignOut().catch(() => undefined);
    session.setM365({ signedIn: false, username: null, name: null, ...(status?.hasClientId !== undefined ? { hasClientId: status.hasClientId } : {}) });
  };

  if (!status) return <Spinner size="tiny" label="Looking whether you are signed in…" labelPosition="after" />;
  if (status.signedIn) {
    return (
      <MessageBar intent="success" role="status" layout="multiline">
        <MessageBarBody>
          Signed in to Microsoft 365 as {status.name ? `${status.name} ` : ''}&lt;{status.username}&gt;.
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => void signOut()}>Sign out</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
  return (
    <div className="stack">
      {noClientId ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Ask your admin first</MessageBarTitle>
            Your organisation’s Microsoft 365 administrator has to allow Cutover once, which takes them a few minutes. Send them the message below; they will give you a client ID (and your organisation’s
            tenant) to enter under “Organisation settings”.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Text>Sign in with your Microsoft 365 account. Your organisation may ask for a second factor; Cutover never sees your password.</Text>
      )}
      {noClientId && <CopyText label="Message for your admin" text={adminMessage({ address: domain ? address.trim() : null, tenant: domain })} />}
      <Accordion collapsible defaultOpenItems={noClientId ? ['org'] : []}>
        <AccordionItem value="org">
          <AccordionHeader>Organisation settings (from your admin)</AccordionHeader>
          <AccordionPanel>
            <div className="field-pair">
              <Field label="Client ID" validationMessage={clientProblem ?? undefined} validationState={clientProblem ? 'error' : 'none'}>
                <Input value={clientId} maxLength={100} spellCheck={false} placeholder="11111111-2222-3333-4444-555555555555" onChange={(_e, d) => session.setDrafts({ 'm365.clientId': d.value })} />
              </Field>
              <Field label="Organisation (tenant)" hint={domain ? `Left empty: ${domain}` : undefined} validationMessage={tenantProblem ?? undefined} validationState={tenantProblem ? 'error' : 'none'}>
                <Input value={tenant} maxLength={253} spellCheck={false} placeholder="contoso.com" onChange={(_e, d) => session.setDrafts({ 'm365.tenant': d.value })} />
              </Field>
            </div>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
      <div className="row">
        <Button appearance={needSignIn ? 'outline' : 'secondary'} disabled={busy || noClientId} onClick={() => void signIn(false)}>
          Sign in with the browser
        </Button>
        <Button disabled={busy || noClientId} onClick={() => void signIn(true)}>
          Sign in with a code
        </Button>
        {busy && !prompt && <Spinner size="tiny" label="Waiting for the sign-in…" labelPosition="after" />}
      </div>
      {needSignIn && !busy && !problem && (
        <MessageBar intent="warning" role="alert">
          <MessageBarBody>Sign in first: the next steps read and write your Microsoft 365 mailbox.</MessageBarBody>
        </MessageBar>
      )}
      {prompt && (
        <MessageBar intent="info" role="status" layout="multiline">
          <MessageBarBody>
            {prompt.userCode ? (
              <>
                Open{' '}
                <Link href={prompt.url} target="_blank" rel="noopener noreferrer">
                  {prompt.url}
                </Link>{' '}
                and enter the code <strong data-testid="device-code">{prompt.userCode}</strong>.
              </>
            ) : (
              <>
                Sign in to Microsoft 365 in your browser. If no window opened,{' '}
                <Link href={prompt.url} target="_blank" rel="noopener noreferrer">
                  open the sign-in page
                </Link>
                .
              </>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {problem && <ProblemNotice problem={problem} context={{ role: 'sign-in' }} session={session} here="microsoft-365" />}
    </div>
  );
}
