import type { WizardStep } from '../../shared/app-api.js';
import type { Finding, PreflightReport } from '../../shared/preflight-types.js';
import { plural, size } from './numbers.js';
import { wordsFor, type ProblemContext, type ProblemWords } from './problems.js';

export interface FindingWords {
  title: string;
  todo: string | null;
  fix: ProblemWords['fix'];
  /** A command for an administrator, shown in a box that can be copied. */
  adminCommand: string | null;
}

/** Which mailbox a finding is about, for the words of a failed check. */
const ROLE: Record<string, ProblemContext['role']> = {
  'source-reachable': 'source',
  'source-oversized': 'source',
  'target-account': 'sign-in',
  'target-license': 'target',
  'target-mailbox': 'target',
  'target-imap': 'target',
};

type Worder = (f: Finding, r: PreflightReport, target: 'm365' | 'imap') => FindingWords;

const words = (title: string, todo: string | null = null, fix: FindingWords['fix'] = null, adminCommand: string | null = null): FindingWords => ({ title, todo, fix, adminCommand });
const back = (step: WizardStep, label: string): FindingWords['fix'] => ({ step, label });

/**
 * The app's words for each finding the check produces (keyed by the finding's stable id), built from
 * the report's numbers. A test reads the engine's check and fails when an id has no words here.
 */
export const FINDING_WORDS: Record<string, Worder> = {
  'same-mailbox': () =>
    words('The old and the new mailbox are the same account.', 'Copying a mailbox into itself would only double every message. Choose the mailbox your mail should move to.', back('microsoft-365', 'Choose the new mailbox')),
  'source-reachable': (_f, r) =>
    r.source
      ? words(`The old mailbox has ${plural(r.source.totalMessages, 'message', 'messages')} (${size(r.source.totalBytes)}) in ${plural(r.source.folders.length, 'folder', 'folders')}.`)
      : words('Cutover can read the old mailbox.'),
  'source-oversized': (_f, r, target) => {
    const n = r.source?.oversized.length ?? 0;
    const limit = r.maxMessageSize ? ` (${size(r.maxMessageSize)})` : '';
    return words(
      `${plural(n, 'message is', 'messages are')} larger than the new mailbox accepts${limit} and will not be copied.`,
      target === 'm365'
        ? 'They are listed below. Save them somewhere else (for example, save their attachments to your computer) before you stop using the old mailbox.'
        : 'They are listed below. Ask your new provider whether the limit can be raised, or save them somewhere else before you stop using the old mailbox.',
    );
  },
  'target-account': (_f, r) => words(`Signed in to Microsoft 365${r.target?.user ? ` as ${r.target.user}` : ''}.`),
  'target-license': (f) =>
    f.level === 'ok'
      ? words('Your Microsoft 365 account has a licence that includes a mailbox.')
      : words('Cutover could not read your account’s licences.', 'If the copy fails later, ask your admin whether your account has a licence that includes a mailbox.'),
  'target-mailbox': (_f, r) => words(`Your Microsoft 365 mailbox exists${r.target?.messages != null ? ` and holds ${plural(r.target.messages, 'item', 'items')}` : ''}.`),
  'target-imap': (_f, r, target) => words(target === 'm365' ? 'Cutover can reach your Microsoft 365 mailbox.' : `Cutover can reach the new mailbox${r.target ? ` (${plural(r.target.folders, 'folder', 'folders')})` : ''}.`),
};

/** Words for one finding: a failed check by its error code, the others by id; a finding this app does not know keeps the engine's sentence. */
export function wordsForFinding(f: Finding, report: PreflightReport, target: 'm365' | 'imap'): FindingWords {
  if (f.code && f.level !== 'ok' && f.id !== 'target-license') {
    const w = wordsFor({ code: f.code }, { role: ROLE[f.id] ?? 'engine', target });
    const user = report.target?.user ?? 'USER';
    const adminCommand = f.code === 'imap-disabled' ? `Set-CASMailbox -Identity ${user} -ImapEnabled $true` : null;
    return words(w.title, w.todo, w.fix, adminCommand);
  }
  if (f.id === 'target-license' && f.code === 'no-license') {
    const w = wordsFor({ code: 'no-license' }, { role: 'target', target });
    return words(w.title, w.todo);
  }
  const worder = FINDING_WORDS[f.id];
  return worder ? worder(f, report, target) : words(f.message, f.action ?? null);
}
