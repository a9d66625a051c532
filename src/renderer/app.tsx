import { makeStyles, Spinner, tokens, typographyStyles } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { CutoverApi, M365Status, MailAccountInput, MailAccountRef, TargetInput, TargetRef, WizardState, WizardStep } from '../shared/app-api.js';
import type { CompareReport } from '../shared/compare-types.js';
import type { ChecklistSection } from '../shared/cutover-day-types.js';
import type { PreflightReport } from '../shared/preflight-types.js';
import type { SyncSummary } from '../shared/sync-types.js';
import type { WatchStatus } from '../shared/watch-types.js';
import { nextStep, TITLES, VISIBLE, type Session } from './session.js';
import { AppHeader } from './shell/app-header.js';
import { stepStatuses } from './shell/step-status.js';
import { Stepper } from './shell/stepper.js';
import { CheckStep } from './steps/check-step.js';
import { CompareStep } from './steps/compare-step.js';
import { ContactsCalendarStep } from './steps/contacts-calendar-step.js';
import { CopyStep } from './steps/copy-step.js';
import { FinishStep } from './steps/finish-step.js';
import { FoldersStep } from './steps/folders-step.js';
import { OldMailboxStep } from './steps/old-mailbox-step.js';
import { KeepInStepStep } from './steps/keep-in-step-step.js';
import { OutlookPhonesStep } from './steps/outlook-phones-step.js';
import { SendingDevicesStep } from './steps/sending-devices-step.js';
import { SwitchDomainStep } from './steps/switch-domain-step.js';
import { TargetStep } from './steps/target-step.js';

const useStyles = makeStyles({
  heading: { ...typographyStyles.title2, margin: `0 0 ${tokens.spacingVerticalL}`, outlineOffset: '4px', width: 'fit-content' },
});

const accountKey = (a: MailAccountInput | null): string | null => (a ? JSON.stringify([a.host.toLowerCase(), a.port, a.tls, a.user, a.password]) : null);

export function App({ api }: { api: CutoverApi }) {
  const [state, setState] = useState<WizardState | null>(null);
  const [sourcePassword, setSourcePassword] = useState('');
  const [targetPassword, setTargetPassword] = useState('');
  const [verifiedKeys, setVerifiedKeys] = useState<{ source: string | null; target: string | null }>({ source: null, target: null });
  const [m365, setM365] = useState<M365Status | null>(null);
  const [checked, setChecked] = useState<{ pair: string; report: PreflightReport } | null>(null);
  const [lastSummary, setLastSummary] = useState<SyncSummary | null>(null);
  const [lastReport, setLastReport] = useState<CompareReport | null>(null);
  const [checklist, setChecklist] = useState<{ address: string | null; sections: ChecklistSection[] } | null>(null);
  const [watch, setWatch] = useState<{ pair: string; status: WatchStatus } | null>(null);
  // Several updates can happen in one event handler ("save, then go to the next step"): each must
  // build on the latest state, not on the one this render saw.
  const latest = useRef<WizardState | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef<WizardStep | null>(null);
  const styles = useStyles();
  useEffect(() => {
    void api.getWizardState().then((s) => {
      latest.current = s;
      setState(s);
    });
    void api.m365Status().then(setM365, () => setM365({ signedIn: false, username: null, name: null }));
  }, [api]);
  const step = state && VISIBLE.includes(state.step) ? state.step : 'old-mailbox';
  // The checklist names the new address; the stepper counts its items, so it loads with the wizard.
  const checklistAddress = state?.target?.kind === 'm365' ? state.target.user || null : null;
  const wantChecklist = state !== null && state.target?.kind !== 'imap';
  // The pair's watch runs on its own (even in another window or the command line): the stepper shows it from the start.
  const pairRef = (): { source: MailAccountRef; target: TargetRef } | null => (state?.source && state.target ? { source: state.source, target: state.target } : null);
  const pairText = JSON.stringify(pairRef());
  const readWatch = (): void => {
    const pair = pairRef();
    if (!pair) return;
    const key = JSON.stringify(pair);
    api.watchStatus(pair.source, pair.target).then(
      (status) => setWatch({ pair: key, status }),
      () => undefined,
    );
  };
  useEffect(readWatch, [api, pairText]);
  useEffect(() => {
    if (!wantChecklist) return;
    let current = true;
    api.deviceChecklist(checklistAddress).then(
      (sections) => current && setChecklist({ address: checklistAddress, sections }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, checklistAddress, wantChecklist]);
  // A new step's heading takes the focus, so keyboard and screen-reader users start at its top (not on the first load).
  useEffect(() => {
    if (!state) return;
    if (shownStep.current !== null && shownStep.current !== step) heading.current?.focus();
    shownStep.current = step;
  }, [state, step]);
  if (!state) {
    return (
      <div className="loading">
        <Spinner label="Opening Cutover…" />
      </div>
    );
  }

  const update = (patch: Partial<WizardState>): void => {
    const next = { ...(latest.current ?? state), ...patch };
    latest.current = next;
    setState(next);
    // A refused save (it cannot happen with the fields' own limits) must not surface as an unhandled rejection.
    api.saveWizardState(next).catch(() => undefined);
  };
  const current = latest.current ?? state;
  const source = (): MailAccountInput | null => (state.source && sourcePassword ? { ...state.source, password: sourcePassword } : null);
  const target = (): TargetInput | null => {
    const t = state.target;
    if (!t) return null;
    if (t.kind === 'm365') return t;
    return targetPassword ? { kind: 'imap', account: { ...t.account, password: targetPassword } } : null;
  };
  const targetAccount = (): MailAccountInput | null => {
    const t = target();
    return t?.kind === 'imap' ? t.account : null;
  };
  // A check belongs to the pair it looked at: once either mailbox changes, it no longer counts.
  const pair = JSON.stringify([accountKey(source()), target()]);
  const check = checked?.pair === pair ? checked.report : null;
  const session: Session = {
    api,
    state,
    update,
    sourcePassword,
    setSourcePassword,
    targetPassword,
    setTargetPassword,
    source,
    target,
    go: (s) => update({ step: s }),
    complete: (s) => update({ completed: current.completed.includes(s) ? current.completed : [...current.completed, s], step: nextStep(s) }),
    draft: (key) => current.drafts[key],
    setDrafts: (drafts, patch = {}) => update({ ...patch, drafts: { ...current.drafts, ...drafts } }),
    verified: (role) => {
      const key = accountKey(role === 'source' ? source() : targetAccount());
      return key !== null && key === verifiedKeys[role];
    },
    setVerified: (role, account) => setVerifiedKeys((v) => ({ ...v, [role]: accountKey(account) })),
    m365,
    setM365,
    check,
    setCheck: (report) => setChecked(report ? { pair, report } : null),
    lastSummary,
    setLastSummary,
    lastReport,
    setLastReport,
    checklist: wantChecklist ? (checklist?.sections ?? null) : null,
    pairRef,
    watch: watch?.pair === pairText ? watch.status : null,
    setWatch: (status) => setWatch({ pair: pairText, status }),
    refreshWatch: readWatch,
  };
  const statuses = stepStatuses({
    state,
    sourcePassword: sourcePassword !== '',
    targetPassword: targetPassword !== '',
    sourceVerified: session.verified('source'),
    targetVerified: session.verified('target'),
    signedIn: m365?.signedIn ?? false,
    check: check ? { blocking: check.findings.filter((f) => f.level === 'blocking').length } : null,
    copyPaused: lastSummary?.cancelled ?? false,
    watch: session.watch,
    checklistTotal: session.checklist ? session.checklist.reduce((n, s) => n + s.items.length, 0) : null,
  });
  const from = state.email || state.source?.user || '';
  const to = state.target?.kind === 'm365' ? state.target.user : (state.target?.account.user ?? '');
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#step-heading"
        onClick={(e) => {
          e.preventDefault();
          heading.current?.focus();
        }}
      >
        Skip to the current step
      </a>
      <AppHeader from={from} to={to} />
      <div className="app-body">
        <Stepper steps={VISIBLE.map((s) => ({ step: s, title: TITLES[s], ...statuses[s] }))} current={step} onGo={session.go} />
        <main className="content" aria-labelledby="step-heading">
          <div className="content-column">
            <h1 id="step-heading" className={styles.heading} tabIndex={-1} ref={heading}>
              {TITLES[step]}
            </h1>
            {step === 'old-mailbox' && <OldMailboxStep session={session} />}
            {step === 'microsoft-365' && <TargetStep session={session} />}
            {step === 'check' && <CheckStep session={session} />}
            {step === 'folders' && <FoldersStep session={session} />}
            {step === 'copy-mail' && <CopyStep session={session} />}
            {step === 'contacts-calendar' && <ContactsCalendarStep session={session} />}
            {step === 'compare' && <CompareStep session={session} />}
            {step === 'finish' && <FinishStep session={session} statuses={statuses} />}
            {step === 'keep-in-step' && <KeepInStepStep session={session} />}
            {step === 'switch-domain' && <SwitchDomainStep session={session} />}
            {step === 'sending-devices' && <SendingDevicesStep session={session} />}
            {step === 'outlook-phones' && <OutlookPhonesStep session={session} />}
          </div>
        </main>
      </div>
    </div>
  );
}
