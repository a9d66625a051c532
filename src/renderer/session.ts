import { WIZARD_STEPS, type CutoverApi, type M365Status, type MailAccountInput, type MailAccountRef, type TargetInput, type TargetRef, type WizardState, type WizardStep } from '../shared/app-api.js';
import type { ChecklistSection } from '../shared/cutover-day-types.js';
import type { CompareReport } from '../shared/compare-types.js';
import type { PreflightReport } from '../shared/preflight-types.js';
import type { SyncSummary } from '../shared/sync-types.js';
import type { WatchStatus } from '../shared/watch-types.js';

/**
 * What every step is given: the API, the wizard state and the session's passwords and results.
 * Its own module, so the steps and the app that shows them never import each other in a circle.
 */
export const VISIBLE: WizardStep[] = [...WIZARD_STEPS];

export const TITLES: Record<WizardStep, string> = {
  'old-mailbox': 'Old mailbox',
  'microsoft-365': 'New mailbox',
  check: 'Check',
  folders: 'Folders',
  'copy-mail': 'Copy mail',
  'contacts-calendar': 'Contacts and calendar',
  compare: 'Compare',
  finish: 'Finish',
  'keep-in-step': 'Keep in step',
  'switch-domain': 'Switch your domain',
  'sending-devices': 'Devices that send mail',
  'outlook-phones': 'Outlook and phones',
};

export interface Session {
  api: CutoverApi;
  state: WizardState;
  update: (patch: Partial<WizardState>) => void;
  /** Passwords live only here, in memory, for this session. */
  sourcePassword: string;
  setSourcePassword: (p: string) => void;
  targetPassword: string;
  setTargetPassword: (p: string) => void;
  source: () => MailAccountInput | null;
  target: () => TargetInput | null;
  go: (step: WizardStep) => void;
  /** Marks a step finished with its main button and moves on to the next one. */
  complete: (step: WizardStep) => void;
  /** A field as the user typed it (saved as they type, never a password); undefined when never typed. */
  draft: (key: string) => string | undefined;
  /** Saves typed values, together with any state that follows from them, in one save. */
  setDrafts: (drafts: Record<string, string>, patch?: Partial<WizardState>) => void;
  /** Whether this exact account (with this password) answered "Test connection" in this session. */
  verified: (role: 'source' | 'target') => boolean;
  setVerified: (role: 'source' | 'target', account: MailAccountInput | null) => void;
  m365: M365Status | null;
  setM365: (s: M365Status) => void;
  check: PreflightReport | null;
  setCheck: (r: PreflightReport | null) => void;
  lastSummary: SyncSummary | null;
  setLastSummary: (s: SyncSummary | null) => void;
  lastReport: CompareReport | null;
  setLastReport: (r: CompareReport | null) => void;
  /** The Outlook and phones checklist for the new address (null while it loads, or for another IMAP server). */
  checklist: ChecklistSection[] | null;
  /** The pair named without passwords (enough to ask about its watch), or null before both mailboxes are chosen. */
  pairRef: () => { source: MailAccountRef; target: TargetRef } | null;
  /** The pair's watch (keep in step) as last read; refreshWatch reads it again. */
  watch: WatchStatus | null;
  setWatch: (w: WatchStatus) => void;
  refreshWatch: () => void;
}

export function nextStep(step: WizardStep): WizardStep {
  const i = VISIBLE.indexOf(step);
  return VISIBLE[Math.min(VISIBLE.length - 1, i + 1)]!;
}
