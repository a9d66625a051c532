import { byteSize, megabytes } from '../../../shared/byte-size.js';
import { CutoverError, type ErrorCode } from '../../../shared/errors.js';
import type { Finding, OversizedMessage, PreflightFolder, PreflightReport } from '../../../shared/preflight-types.js';
import { connectReader, type ImapAccount } from '../imap/imap-account.js';
import type { GraphClient } from '../graph/graph-client.js';
import { graphErrorCode } from '../graph/graph-client.js';
import { EXCHANGE } from '../m365/exchange-target.js';

export interface PreflightRequest {
  source: ImapAccount;
  target: ImapAccount;
  /** Present when the target is Microsoft 365: licence and mailbox checks through Graph. */
  graph?: GraphClient;
  /** The Microsoft 365 user, for the admin commands in the advice. */
  m365User?: string;
  maxMessageSize: number | null;
}

/** Service plans that come with an Exchange Online mailbox (Business Basic/Standard/Premium, E1–E5, Exchange plans, F-SKUs). */
const MAILBOX_PLANS = ['EXCHANGE_S_STANDARD', 'EXCHANGE_S_ENTERPRISE', 'EXCHANGE_S_DESKLESS', 'EXCHANGE_S_ESSENTIALS', 'EXCHANGE_B_STANDARD', 'EXCHANGE_L_STANDARD'];

/**
 * Looks at both sides before anything is copied and says, finding by finding, what is fine,
 * what deserves attention and what blocks the migration, with what to do.
 */
export async function runPreflight(req: PreflightRequest): Promise<PreflightReport> {
  const findings: Finding[] = [];
  const report: PreflightReport = { findings, source: null, target: null, maxMessageSize: req.maxMessageSize };
  if (sameMailbox(req.source, req.target)) {
    // Copying a mailbox into itself would only duplicate every message.
    findings.push({ id: 'same-mailbox', level: 'blocking', message: 'The old and the new mailbox are the same account on the same server.', action: 'Choose the mailbox the mail should move to.' });
  }

  // Source: folders, counts, sizes, messages the target will not take.
  try {
    const session = await connectReader(req.source, 'source');
    try {
      const folders: PreflightFolder[] = [];
      const oversized: OversizedMessage[] = [];
      for (const f of await session.listFolders(false)) {
        if ([...f.flags].some((x) => /^\\(noselect|nonexistent)$/i.test(x))) continue;
        const box = await session.examine(f.path);
        let bytes = 0;
        if (box.exists > 0) {
          for await (const m of session.fetchMeta('1:*')) {
            bytes += m.size;
            if (req.maxMessageSize !== null && m.size > req.maxMessageSize) {
              oversized.push({ folder: f.path, uid: m.uid, subject: m.subject, date: m.date, size: m.size });
            }
          }
        }
        folders.push({ path: f.path, messages: box.exists, bytes });
      }
      const totalMessages = folders.reduce((n, f) => n + f.messages, 0);
      const totalBytes = folders.reduce((n, f) => n + f.bytes, 0);
      report.source = { folders, totalMessages, totalBytes, oversized };
      findings.push({ id: 'source-reachable', level: 'ok', message: `The old mailbox has ${totalMessages} messages (${byteSize(totalBytes)}) in ${folders.length} folders.` });
      if (oversized.length > 0) {
        const beyondCeiling = oversized.filter((m) => m.size > EXCHANGE.maxMessageSizeCeiling).length;
        findings.push({
          id: 'source-oversized',
          level: 'warning',
          message: `${oversized.length} messages are larger than the target's limit of ${megabytes(req.maxMessageSize ?? 0)} and will not be copied${beyondCeiling ? ` (${beyondCeiling} of them exceed 150 MB, which no Exchange mailbox accepts)` : ''}.`,
          action: req.m365User
            ? `An admin can raise the limit (150 MB at most): Set-Mailbox -Identity ${req.m365User} -MaxReceiveSize 150MB; then copy with a size limit of 150 MB (${EXCHANGE.maxMessageSizeCeiling} bytes).`
            : 'Raise the target mailbox limit, or save these messages elsewhere.',
        });
      }
    } finally {
      await session.logout();
    }
  } catch (err) {
    findings.push(blocking('source-reachable', err));
  }

  // Target account through Graph (Microsoft 365 only).
  if (req.graph) {
    await graphChecks(req.graph, req.m365User ?? '', findings, report);
  }

  // Target IMAP, with the same credentials the sync will use.
  try {
    const session = await connectReader(req.target, 'target');
    try {
      const folders = await session.listFolders(false);
      report.target = { user: report.target?.user ?? req.target.endpoint.user, folders: folders.length, messages: report.target?.messages ?? null };
      findings.push({ id: 'target-imap', level: 'ok', message: `The new mailbox answers over IMAP (${folders.length} folders).` });
    } finally {
      await session.logout();
    }
  } catch (err) {
    const e = err instanceof CutoverError ? err : null;
    if (req.m365User && e?.code === 'auth-failed') {
      findings.push({
        id: 'target-imap',
        level: 'blocking',
        code: 'imap-disabled',
        message: 'Exchange Online refused the IMAP sign-in: IMAP is probably disabled for this mailbox (or for the organisation).',
        action: `An admin runs: Set-CASMailbox -Identity ${req.m365User} -ImapEnabled $true (and checks that the "Authenticated IMAP" app is allowed).`,
      });
    } else {
      findings.push(blocking('target-imap', err));
    }
  }
  return report;
}

async function graphChecks(graph: GraphClient, user: string, findings: Finding[], report: PreflightReport): Promise<void> {
  try {
    const me = await graph.get<{ userPrincipalName?: string; displayName?: string }>('/me?$select=userPrincipalName,displayName');
    report.target = { user: me.userPrincipalName ?? user, folders: 0, messages: null };
    findings.push({ id: 'target-account', level: 'ok', message: `Signed in to Microsoft 365 as ${me.displayName ?? ''} <${me.userPrincipalName ?? user}>.` });
  } catch (err) {
    findings.push(blocking('target-account', err));
    return;
  }
  try {
    const licences = await graph.getAll<{ skuPartNumber?: string; servicePlans?: { servicePlanName?: string; provisioningStatus?: string }[] }>('/me/licenseDetails');
    const plans = licences.flatMap((l) => l.servicePlans ?? []);
    const mailboxPlan = plans.find((p) => MAILBOX_PLANS.includes(p.servicePlanName ?? '') && p.provisioningStatus !== 'Disabled');
    findings.push(
      mailboxPlan
        ? { id: 'target-license', level: 'ok', message: `A licence with an Exchange Online mailbox is assigned (${mailboxPlan.servicePlanName}).` }
        : {
            id: 'target-license',
            level: 'blocking',
            code: 'no-license',
            message: 'No licence that includes an Exchange Online mailbox is assigned to this account.',
            action: 'An admin assigns Microsoft 365 Business Basic, Standard or Premium (or an Exchange Online plan) in the Microsoft 365 admin center → Users → Licences.',
          },
    );
  } catch (err) {
    findings.push({ id: 'target-license', level: 'warning', message: `The licences could not be read: ${(err as Error).message}`, code: codeOf(err) });
  }
  try {
    await graph.get('/me/mailboxSettings');
    const folders = await graph.getAll<{ totalItemCount?: number }>('/me/mailFolders?$top=100&includeHiddenFolders=true');
    const messages = folders.reduce((n, f) => n + (f.totalItemCount ?? 0), 0);
    report.target = { user: report.target?.user ?? user, folders: folders.length, messages };
    findings.push({ id: 'target-mailbox', level: 'ok', message: `The Exchange Online mailbox exists (${folders.length} top-level folders, ${messages} items).` });
  } catch (err) {
    findings.push(
      graphErrorCode(err) === 'MailboxNotEnabledForRESTAPI'
        ? {
            id: 'target-mailbox',
            level: 'blocking',
            code: 'no-mailbox',
            message: 'This account has no Exchange Online mailbox yet (or it is still being created, or it is hosted on-premises).',
            action: 'Check the licence above; a new mailbox can take up to an hour to appear after the licence is assigned.',
          }
        : blocking('target-mailbox', err),
    );
  }
}

function blocking(id: string, err: unknown): Finding {
  return { id, level: 'blocking', message: err instanceof Error ? err.message : String(err), code: codeOf(err) };
}

function codeOf(err: unknown): ErrorCode {
  return err instanceof CutoverError ? err.code : 'internal';
}

/** Same server (loopback names count as one), same port, same user: one and the same mailbox. */
function sameMailbox(source: ImapAccount, target: ImapAccount): boolean {
  const host = (h: string): string => {
    const name = h.trim().toLowerCase().replace(/\.$/, '');
    return ['localhost', '127.0.0.1', '::1', '[::1]'].includes(name) ? 'loopback' : name;
  };
  const a = source.endpoint;
  const b = target.endpoint;
  return host(a.host) === host(b.host) && a.port === b.port && a.user.trim().toLowerCase() === b.user.trim().toLowerCase();
}
