import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle1,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { EXCHANGE_SMTP, type SmtpAdvice, type SmtpCheckResult } from '../../shared/cutover-day-types.js';
import type { Session } from '../session.js';
import { CopyCode, CopyValue } from '../parts/copy-code.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { SignInPrompt } from '../parts/sign-in-prompt.js';
import { StepForm } from '../shell/step-form.js';
import { smtpAdviceWords, smtpResultWords } from '../words/cutover-day.js';
import { checkEmail, checkHost, checkPassword, checkPort, domainOf } from '../words/field-checks.js';
import { cutoverAddress } from './switch-domain-step.js';
import { useAction } from './use-action.js';

type Method = 'oauth' | 'password';

/** Advice that says what is fine is green; what the device or the admin must change is amber; the rest red. */
const ADVICE_INTENT: Record<SmtpAdvice['code'], 'success' | 'warning' | 'error'> = {
  'device-settings': 'success',
  'basic-auth-retiring': 'warning',
  'enable-smtp-auth': 'warning',
  'admin-consent-needed': 'warning',
  'basic-auth-off': 'warning',
  'policy-blocked': 'warning',
  'check-token': 'warning',
  'check-password': 'error',
  'not-authenticated': 'error',
  'auth-not-offered': 'error',
  'tls-too-old': 'error',
  'starttls-refused': 'error',
  'tls-untrusted': 'error',
  unreachable: 'error',
  'unexpected-reply': 'error',
  'device-alternatives': 'warning',
};

/**
 * "Devices that send mail": the settings printers, scanners and apps need for Microsoft 365, a test
 * sign-in that sends nothing, what the answer means (with the admin's fix), and the other ways for
 * devices that cannot sign in with Microsoft 365.
 */
export function SendingDevicesStep({ session }: { session: Session }) {
  const action = useAction();
  const [result, setResult] = useState<SmtpCheckResult | null>(null);
  const [password, setPassword] = useState('');
  const [tried, setTried] = useState(false);
  const user = session.draft('smtp.user') ?? cutoverAddress(session);
  const method: Method = session.draft('smtp.method') === 'password' ? 'password' : 'oauth';
  const host = session.draft('smtp.host') ?? EXCHANGE_SMTP.host;
  const portText = session.draft('smtp.port') ?? String(EXCHANGE_SMTP.port);
  const problems = { user: checkEmail(user), host: checkHost(host), port: checkPort(portText), password: method === 'password' ? checkPassword(password) : null };
  const valid = Object.values(problems).every((p) => p === null);
  const needsSignIn = method === 'oauth' && session.m365?.signedIn !== true;
  const domain = domainOf(user) ?? domainOf(cutoverAddress(session)) ?? 'your domain';
  const test = (): Promise<void> =>
    action.run(async () => {
      setTried(true);
      if (!valid || needsSignIn) return;
      setResult(null);
      const r = await session.api.checkSmtp({ user: user.trim(), host: host.trim(), port: Number(portText), auth: method === 'oauth' ? { kind: 'oauth' } : { kind: 'password', password } });
      setResult(r);
      session.update({ lastSmtp: { user: user.trim(), ok: r.ok, at: new Date().toISOString() } });
    });
  const shown = (p: string | null): string | undefined => (tried ? (p ?? undefined) : undefined);
  return (
    <StepForm
      onSubmit={() => void test()}
      footer={
        <>
          <Button onClick={() => session.complete('sending-devices')} disabled={action.busy}>
            {result?.ok ? 'Next' : 'Skip: nothing here sends mail'}
          </Button>
          <Button type="submit" appearance="primary" disabled={action.busy}>
            Test sign-in (sends nothing)
          </Button>
        </>
      }
    >
      <p>
        Printers, scanners and apps that send mail from your address (invoices, alerts, scans) must now sign in to Microsoft 365 to send. Enter these settings on each device, then test the
        sign-in here: Cutover signs in and stops; it never sends a message.
      </p>
      <Card appearance="filled-alternative" aria-label="Settings for devices and apps">
        <Subtitle1 as="h2">Settings for devices and apps</Subtitle1>
        <dl className="settings-list">
          <dt>Server</dt>
          <dd>
            <CopyValue name="the server" value={EXCHANGE_SMTP.host} />
          </dd>
          <dt>Port</dt>
          <dd>
            <CopyValue name="the port" value={String(EXCHANGE_SMTP.port)} />
          </dd>
          <dt>Encryption</dt>
          <dd>STARTTLS (TLS 1.2 or newer)</dd>
          <dt>User name</dt>
          <dd>{checkEmail(user) === null ? <CopyValue name="the user name" value={user.trim()} /> : 'the full address of the mailbox the device sends from'}</dd>
          <dt>Sign-in</dt>
          <dd>“OAuth” or “Microsoft 365 account” where the device offers it; otherwise the mailbox’s password (Microsoft ends this by default at the end of 2026).</dd>
        </dl>
      </Card>
      <Subtitle1 as="h2">Test the sign-in</Subtitle1>
      <div className="field-pair">
        <Field label="Mailbox the device sends from" validationMessage={shown(problems.user)}>
          <Input value={user} type="email" onChange={(_e, d) => session.setDrafts({ 'smtp.user': d.value })} autoComplete="off" />
        </Field>
        <Field label="How the device signs in">
          <RadioGroup value={method} onChange={(_e, d) => session.setDrafts({ 'smtp.method': d.value })}>
            <Radio value="oauth" label="With the Microsoft 365 account (OAuth)" />
            <Radio value="password" label="With the mailbox’s password" />
          </RadioGroup>
        </Field>
      </div>
      {method === 'password' && (
        <Field label="The mailbox’s password" validationMessage={shown(problems.password)} hint="Used for this test only and never stored.">
          <Input type="password" value={password} onChange={(_e, d) => setPassword(d.value)} autoComplete="off" />
        </Field>
      )}
      {needsSignIn && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Sign in to Microsoft 365 first</MessageBarTitle> The test signs in with the account you sign in with in “New mailbox”, or choose the password.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => session.go('microsoft-365')}>Go to sign-in</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <Accordion collapsible>
        <AccordionItem value="details">
          <AccordionHeader>Show details: another sending server</AccordionHeader>
          <AccordionPanel>
            <div className="field-pair">
              <Field label="Sending server" validationMessage={problems.host ?? undefined}>
                <Input value={host} onChange={(_e, d) => session.setDrafts({ 'smtp.host': d.value })} autoComplete="off" spellCheck={false} />
              </Field>
              <Field label="Sending port" validationMessage={problems.port ?? undefined}>
                <Input value={portText} inputMode="numeric" onChange={(_e, d) => session.setDrafts({ 'smtp.port': d.value })} autoComplete="off" />
              </Field>
            </div>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
      <SignInPrompt api={session.api} active={action.busy} />
      {action.busy && <Spinner label="Signing in to the sending server… Nothing is sent." labelPosition="after" />}
      {action.problem && <ProblemNotice problem={action.problem} context={{ role: 'sign-in' }} session={session} here="sending-devices" />}
      {result && !action.busy && <SmtpResult result={result} />}
      <Alternatives domain={domain} open={result?.advice.some((a) => a.code === 'device-alternatives') ?? false} />
    </StepForm>
  );
}

function SmtpResult({ result }: { result: SmtpCheckResult }) {
  const advice = result.advice.filter((a) => a.code !== 'device-alternatives');
  const top = useRef<HTMLElement>(null);
  // The answer appears below the form: bring it into view (the footer keeps the buttons visible).
  // (Braces matter: Chromium's scrollIntoView now returns a promise, which React would take for a cleanup function.)
  useEffect(() => {
    void top.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [result]);
  return (
    <section className="stack" aria-label="Test result" data-smtp-ok={String(result.ok)} ref={top}>
      <MessageBar intent={result.ok ? 'success' : 'error'} role="status" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{smtpResultWords(result)}</MessageBarTitle>
          {result.reply && ` The server answered ${result.reply.code}${result.reply.enhanced ? ` ${result.reply.enhanced}` : ''}.`}
        </MessageBarBody>
      </MessageBar>
      <ul className="stack plain-list" aria-label="What to do">
        {advice.map((a) => {
          const w = smtpAdviceWords(a);
          return (
            <li key={a.code}>
              <MessageBar intent={ADVICE_INTENT[a.code]} layout="multiline" data-advice={a.code}>
                <MessageBarBody>
                  <MessageBarTitle>{w.title}</MessageBarTitle> {w.todo}
                  {w.adminCommand && <CopyCode label="For your admin (Exchange Online PowerShell)" text={w.adminCommand} />}
                  {w.link && <CopyCode label={w.link.label} text={w.link.url} />}
                </MessageBarBody>
              </MessageBar>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The other ways to send for devices that cannot sign in with Microsoft 365 (always offered; opened when the test points to them). */
function Alternatives({ domain, open }: { domain: string; open: boolean }) {
  const w = smtpAdviceWords({ code: 'device-alternatives', facts: { domain } });
  return (
    <Accordion key={String(open)} collapsible defaultOpenItems={open ? ['alternatives'] : []}>
      <AccordionItem value="alternatives">
        <AccordionHeader>{w.title}</AccordionHeader>
        <AccordionPanel>
          <p data-advice="device-alternatives">{w.todo}</p>
        </AccordionPanel>
      </AccordionItem>
    </Accordion>
  );
}
