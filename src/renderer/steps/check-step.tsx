import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  MessageBar,
  MessageBarActions,
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
import { useEffect } from 'react';
import type { Finding, PreflightReport } from '../../shared/preflight-types.js';
import type { Session } from '../session.js';
import { CopyText } from '../parts/copy-text.js';
import { FINDING_INTENT, byLevel } from '../parts/finding-levels.js';
import { ProblemNotice } from '../parts/problem-notice.js';
import { SummaryCards } from '../parts/summary-cards.js';
import { StepForm } from '../shell/step-form.js';
import { wordsForFinding } from '../words/findings.js';
import { count, dateTime, size } from '../words/numbers.js';
import { NeedsAccounts } from './needs-accounts.js';
import { useAction } from './use-action.js';


export function CheckStep({ session }: { session: Session }) {
  const action = useAction();
  const report = session.check;
  const source = session.source();
  const target = session.target();
  const run = (): Promise<void> =>
    action.run(async () => {
      if (!source || !target) return;
      session.setCheck(await session.api.preflight(source, target));
    });
  // The check starts by itself when both mailboxes are there and it has not run for this pair yet.
  useEffect(() => {
    if (source && target && !report) void run();
  }, []);
  if (!source || !target) return <NeedsAccounts session={session} />;
  const blocking = report?.findings.filter((f) => f.level === 'blocking').length ?? 0;
  const kind = target.kind;
  return (
    <StepForm
      onSubmit={() => (report && blocking === 0 ? session.complete('check') : void run())}
      footer={
        <>
          {report && blocking > 0 && <span className="footer-note">Fix what is marked above, then check again.</span>}
          {report && (
            <Button onClick={() => void run()} disabled={action.busy}>
              Check again
            </Button>
          )}
          {report && blocking === 0 ? (
            <Button type="submit" appearance="primary" disabled={action.busy}>
              Next
            </Button>
          ) : (
            <Button type="submit" appearance="primary" disabled={action.busy}>
              {report ? 'Check again' : 'Run the check'}
            </Button>
          )}
        </>
      }
    >
      <p>Cutover looks at both mailboxes before copying anything and tells you what to fix first. Nothing is changed yet.</p>
      {action.busy && <Spinner label="Looking at both mailboxes… A large mailbox takes a minute." labelPosition="after" />}
      {action.problem && <ProblemNotice problem={action.problem} context={{ role: 'engine' }} session={session} here="check" />}
      {report && !action.busy && <Report report={report} kind={kind} session={session} />}
    </StepForm>
  );
}

function Report({ report, kind, session }: { report: PreflightReport; kind: 'm365' | 'imap'; session: Session }) {
  const findings = byLevel(report.findings);
  const src = report.source;
  return (
    <>
      {src && (
        <SummaryCards
          label="The old mailbox"
          items={[
            { value: count(src.totalMessages), label: src.totalMessages === 1 ? 'message' : 'messages' },
            { value: count(src.folders.length), label: src.folders.length === 1 ? 'folder' : 'folders' },
            { value: size(src.totalBytes), label: 'in all' },
          ]}
        />
      )}
      <ul className="stack plain-list" aria-label="Findings">
        {findings.map((f) => (
          <li key={f.id}>
            <FindingNotice finding={f} report={report} kind={kind} session={session} />
          </li>
        ))}
      </ul>
      <Accordion collapsible multiple>
        {src && src.oversized.length > 0 && (
          <AccordionItem value="oversized">
            <AccordionHeader>Messages too large for the new mailbox ({count(src.oversized.length)})</AccordionHeader>
            <AccordionPanel>
              <div className="table-scroll">
                <Table size="small" aria-label="Messages too large for the new mailbox">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Folder</TableHeaderCell>
                      <TableHeaderCell>Subject</TableHeaderCell>
                      <TableHeaderCell>Date</TableHeaderCell>
                      <TableHeaderCell>Size</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {src.oversized.map((m) => (
                      <TableRow key={`${m.folder}-${m.uid}`}>
                        <TableCell>{m.folder}</TableCell>
                        <TableCell className="wrap">{m.subject || '(no subject)'}</TableCell>
                        <TableCell>{m.date ? dateTime(m.date) : ''}</TableCell>
                        <TableCell>{size(m.size)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </AccordionPanel>
          </AccordionItem>
        )}
        {src && (
          <AccordionItem value="folders">
            <AccordionHeader>Folders in the old mailbox ({count(src.folders.length)})</AccordionHeader>
            <AccordionPanel>
              <div className="table-scroll">
                <Table size="small" aria-label="Folders in the old mailbox">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Folder</TableHeaderCell>
                      <TableHeaderCell>Messages</TableHeaderCell>
                      <TableHeaderCell>Size</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {src.folders.map((f) => (
                      <TableRow key={f.path}>
                        <TableCell>{f.path}</TableCell>
                        <TableCell>{count(f.messages)}</TableCell>
                        <TableCell>{size(f.bytes)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </AccordionPanel>
          </AccordionItem>
        )}
      </Accordion>
    </>
  );
}

function FindingNotice({ finding, report, kind, session }: { finding: Finding; report: PreflightReport; kind: 'm365' | 'imap'; session: Session }) {
  const w = wordsForFinding(finding, report, kind);
  return (
    <MessageBar intent={FINDING_INTENT[finding.level]} layout="multiline" data-finding={finding.id}>
      <MessageBarBody>
        {finding.level === 'ok' ? w.title : <MessageBarTitle>{w.title}</MessageBarTitle>} {w.todo}
        {w.adminCommand && <CopyText label="For your admin (Exchange Online PowerShell)" text={w.adminCommand} rows={2} />}
      </MessageBarBody>
      {w.fix && (
        <MessageBarActions>
          <Button onClick={() => session.go(w.fix!.step)}>{w.fix.label}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

