import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { DnsFinding, DnsReport, DnsResolverView } from '../../shared/cutover-day-types.js';
import type { Session } from '../session.js';
import { FINDING_INTENT, byLevel } from '../parts/finding-levels.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { SignInPrompt } from '../parts/sign-in-prompt.js';
import { SummaryCards } from '../parts/summary-cards.js';
import { StepForm } from '../shell/step-form.js';
import { dnsFindingWords, dnsStateWords, duration, lookupWords } from '../words/cutover-day.js';
import { checkDomainName, domainOf } from '../words/field-checks.js';
import { count, dateTime } from '../words/numbers.js';
import { useAction } from './use-action.js';

const STATE_INTENT = { old: 'warning', mixed: 'info', switched: 'success' } as const;

/** The address the cutover is about: the new mailbox's, else the one typed first. */
export function cutoverAddress(session: Session): string {
  const t = session.state.target;
  return t?.kind === 'm365' ? t.user : session.state.email;
}

const clean = (text: string): string => text.trim().replace(/\.$/, '').toLowerCase();

/**
 * "Switch your domain": where the domain's MX points as each DNS server sees it, what Microsoft 365
 * expects, and what to change. It only looks; the person changes the record at their DNS provider.
 */
export function SwitchDomainStep({ session }: { session: Session }) {
  const action = useAction();
  const [report, setReport] = useState<DnsReport | null>(null);
  const [tried, setTried] = useState(false);
  const domain = session.draft('dns.domain') ?? domainOf(cutoverAddress(session)) ?? '';
  const pasted = session.draft('dns.expectMx') ?? '';
  const domainProblem = checkDomainName(domain, 'domain');
  const mxProblem = checkDomainName(pasted, 'mx');
  const run = (): Promise<void> =>
    action.run(async () => {
      setTried(true);
      if (domainProblem || mxProblem) return;
      const r = await session.api.checkDns(clean(domain), { expectMx: pasted.trim() ? clean(pasted) : null, resolvers: [] });
      setReport(r);
      session.update({ lastDns: { domain: r.domain, state: r.state, switched: r.switched, answered: r.answered, blocking: r.findings.filter((f) => f.level === 'blocking').length, at: r.checkedAt } });
    });
  // The step looks by itself when it knows the domain: DNS changes while the person is away.
  useEffect(() => {
    if (domain && !domainProblem) void run();
  }, []);
  const unknownExpected = report?.findings.some((f) => f.code === 'expected-mx-unknown') ?? false;
  const showPaste = unknownExpected || pasted.trim() !== '' || report?.expectedMxSource === 'given';
  return (
    <StepForm
      onSubmit={() => (report?.state === 'switched' && !action.busy ? session.complete('switch-domain') : void run())}
      footer={
        <>
          {report && report.state !== 'switched' && <span className="footer-note">Change the MX record at your DNS provider, then check again.</span>}
          {report?.state === 'switched' ? (
            <>
              <Button onClick={() => void run()} disabled={action.busy}>
                Check again
              </Button>
              <Button type="submit" appearance="primary" disabled={action.busy}>
                Next
              </Button>
            </>
          ) : (
            <Button type="submit" appearance="primary" disabled={action.busy}>
              {report ? 'Check again' : 'Check the domain'}
            </Button>
          )}
        </>
      }
    >
      <p>
        New mail reaches Microsoft 365 once your domain’s MX record points there. You change it at your DNS provider (where the domain is registered); Cutover checks what DNS servers
        around the world will see, and tells you when the switch is complete. Nothing is changed here.
      </p>
      <div className="field-pair">
        <Field label="Your domain" validationMessage={tried || domain ? (domainProblem ?? undefined) : undefined} hint="The part of your address after the @.">
          <Input value={domain} onChange={(_e, d) => session.setDrafts({ 'dns.domain': d.value })} autoComplete="off" spellCheck={false} />
        </Field>
        {report?.expectedMxSource === 'microsoft-365' && !pasted.trim() ? (
          <Field label="Microsoft 365 expects the MX value" hint="Read from your Microsoft 365 organisation.">
            <Input value={report.expectedMx ?? ''} readOnly />
          </Field>
        ) : showPaste ? (
          <Field
            label="The MX value Microsoft 365 gives you"
            validationMessage={mxProblem ?? undefined}
            hint="In the Microsoft 365 admin center: Settings → Domains → your domain → DNS records. It ends in .mx.microsoft (newer domains) or .mail.protection.outlook.com (older ones)."
          >
            <Input value={pasted} placeholder="contoso-com.mail.protection.outlook.com" onChange={(_e, d) => session.setDrafts({ 'dns.expectMx': d.value })} autoComplete="off" spellCheck={false} />
          </Field>
        ) : null}
      </div>
      <SignInPrompt api={session.api} active={action.busy} />
      {action.busy && <Spinner label="Asking DNS servers…" labelPosition="after" />}
      {action.problem && <ProblemNotice problem={action.problem} context={{ role: 'engine' }} session={session} here="switch-domain" />}
      {report && !action.busy && <DnsResult report={report} />}
    </StepForm>
  );
}

function DnsResult({ report }: { report: DnsReport }) {
  const findings = byLevel(report.findings);
  return (
    <>
      <MessageBar intent={STATE_INTENT[report.state]} layout="multiline" role="status" data-dns-state={report.state}>
        <MessageBarBody>
          <MessageBarTitle>{dnsStateWords(report)}</MessageBarTitle> Last checked {dateTime(report.checkedAt)}.
        </MessageBarBody>
      </MessageBar>
      <SummaryCards
        label="DNS servers asked"
        items={[
          { value: `${count(report.switched)} of ${count(report.answered)}`, label: 'DNS servers show Microsoft 365' },
          { value: count(report.resolvers.length - report.answered), label: 'DNS servers did not answer' },
        ]}
      />
      <p className="wrap-anywhere">
        {report.expectedMx ? `Microsoft 365 expects the MX value ${report.expectedMx}${report.expectedMxSource === 'given' ? ' (as you pasted it)' : ''}.` : 'Cutover recognises Microsoft’s mail servers by their names.'}
      </p>
      <ul className="stack plain-list" aria-label="Findings">
        {findings.map((f, i) => (
          <li key={`${f.code}-${i}`}>
            <FindingBar finding={f} domain={report.domain} />
          </li>
        ))}
      </ul>
      <Accordion collapsible defaultOpenItems={report.state === 'mixed' ? ['servers'] : []}>
        <AccordionItem value="servers">
          <AccordionHeader>What each DNS server says ({count(report.resolvers.length)})</AccordionHeader>
          <AccordionPanel>
            <ResolverTable resolvers={report.resolvers} />
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </>
  );
}

function FindingBar({ finding, domain }: { finding: DnsFinding; domain: string }) {
  const w = dnsFindingWords(finding, domain);
  return (
    <MessageBar intent={FINDING_INTENT[finding.level]} layout="multiline" data-finding={finding.code} data-level={finding.level}>
      <MessageBarBody>
        {finding.level === 'ok' && !w.todo ? w.title : <MessageBarTitle>{w.title}</MessageBarTitle>} {w.todo}
      </MessageBarBody>
    </MessageBar>
  );
}

const KIND = { system: 'This computer’s DNS server', authoritative: 'Your domain’s DNS server', given: 'DNS server you named' } as const;

function ResolverTable({ resolvers }: { resolvers: DnsResolverView[] }) {
  return (
    <div className="table-scroll">
      <Table size="small" aria-label="What each DNS server says">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>DNS server</TableHeaderCell>
            <TableHeaderCell>MX record</TableHeaderCell>
            <TableHeaderCell>Kept for (TTL)</TableHeaderCell>
            <TableHeaderCell>Microsoft 365</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {resolvers.map((r) => (
            <TableRow key={r.server}>
              <TableCell className="wrap">
                {KIND[r.kind]}
                <br />
                {r.name ? `${r.name} (${r.server})` : r.server}
              </TableCell>
              <TableCell className="wrap">{r.error ? `No answer: it ${lookupWords(r.error)}` : r.mx.length ? r.mx.map((m) => `${m.host} (priority ${m.priority})`).join(', ') : 'none'}</TableCell>
              <TableCell>{r.ttl === null ? '—' : duration(r.ttl)}</TableCell>
              <TableCell>{r.error ? '—' : r.switched ? 'Yes' : 'Not yet'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
