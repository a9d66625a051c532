import { useEffect, useRef, useState } from 'react';
import { WIZARD_STEPS, type CutoverApi, type MailAccountInput, type TargetInput, type WizardState, type WizardStep } from '../shared/app-api.js';
import type { CompareReport } from '../shared/compare-types.js';
import type { SyncSummary } from '../shared/sync-types.js';
import { CheckStep } from './steps/check-step.js';
import { CompareStep } from './steps/compare-step.js';
import { ContactsCalendarStep } from './steps/contacts-calendar-step.js';
import { CopyStep } from './steps/copy-step.js';
import { FinishStep } from './steps/finish-step.js';
import { FoldersStep } from './steps/folders-step.js';
import { OldMailboxStep } from './steps/old-mailbox-step.js';
import { TargetStep } from './steps/target-step.js';

const VISIBLE: WizardStep[] = [...WIZARD_STEPS];

const TITLES: Record<WizardStep, string> = {
  'old-mailbox': 'Old mailbox',
  'microsoft-365': 'New mailbox',
  check: 'Check',
  folders: 'Folders',
  'copy-mail': 'Copy mail',
  'contacts-calendar': 'Contacts and calendar',
  compare: 'Compare',
  finish: 'Finish',
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
  lastSummary: SyncSummary | null;
  setLastSummary: (s: SyncSummary | null) => void;
  lastReport: CompareReport | null;
  setLastReport: (r: CompareReport | null) => void;
}

export function App({ api }: { api: CutoverApi }) {
  const [state, setState] = useState<WizardState | null>(null);
  const [sourcePassword, setSourcePassword] = useState('');
  const [targetPassword, setTargetPassword] = useState('');
  const [lastSummary, setLastSummary] = useState<SyncSummary | null>(null);
  const [lastReport, setLastReport] = useState<CompareReport | null>(null);
  // Several updates can happen in one event handler ("save, then go to the next step"): each must
  // build on the latest state, not on the one this render saw.
  const latest = useRef<WizardState | null>(null);
  useEffect(() => {
    void api.getWizardState().then((s) => {
      latest.current = s;
      setState(s);
    });
  }, [api]);
  if (!state) return <p role="status">Loading…</p>;

  const update = (patch: Partial<WizardState>): void => {
    const next = { ...(latest.current ?? state), ...patch };
    latest.current = next;
    setState(next);
    void api.saveWizardState(next);
  };
  const session: Session = {
    api,
    state,
    update,
    sourcePassword,
    setSourcePassword,
    targetPassword,
    setTargetPassword,
    source: () => (state.source && sourcePassword ? { ...state.source, password: sourcePassword } : null),
    target: () => {
      const t = state.target;
      if (!t) return null;
      if (t.kind === 'm365') return t;
      return targetPassword ? { kind: 'imap', account: { ...t.account, password: targetPassword } } : null;
    },
    go: (step) => update({ step }),
    lastSummary,
    setLastSummary,
    lastReport,
    setLastReport,
  };
  const step = VISIBLE.includes(state.step) ? state.step : 'old-mailbox';
  return (
    <div className="layout">
      <nav aria-label="Migration steps">
        <p><strong>Cutover</strong></p>
        <ol>
          {VISIBLE.map((s, i) => (
            <li key={s}>
              <button type="button" aria-current={s === step ? 'step' : undefined} onClick={() => session.go(s)}>
                {i + 1}. {TITLES[s]}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <main>
        <h1>{TITLES[step]}</h1>
        {step === 'old-mailbox' && <OldMailboxStep session={session} />}
        {step === 'microsoft-365' && <TargetStep session={session} />}
        {step === 'check' && <CheckStep session={session} />}
        {step === 'folders' && <FoldersStep session={session} />}
        {step === 'copy-mail' && <CopyStep session={session} />}
        {step === 'contacts-calendar' && <ContactsCalendarStep session={session} />}
        {step === 'compare' && <CompareStep session={session} />}
        {step === 'finish' && <FinishStep session={session} />}
      </main>
    </div>
  );
}

export function nextStep(step: WizardStep): WizardStep {
  const i = VISIBLE.indexOf(step);
  return VISIBLE[Math.min(VISIBLE.length - 1, i + 1)]!;
}
