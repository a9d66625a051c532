import { Field, Input, Select } from '@fluentui/react-components';
import { useState } from 'react';
import type { CutoverApi, MailAccountInput, WizardState } from '../../shared/app-api.js';
import type { CutoverErrorData } from '../../shared/errors.js';
import type { Session } from '../session.js';
import { problemOf } from '../api/problem-of.js';
import { checkHost, checkPassword, checkPort, checkUser } from '../words/field-checks.js';

export type Security = 'implicit' | 'starttls' | 'none';

/** Server settings without the password, as saved once they are valid. */
export type AccountFields = NonNullable<WizardState['source']>;

/** The fields as typed: the port stays text, so "99a" or "" can be explained instead of becoming 0. */
export interface AccountDraft {
  host: string;
  port: string;
  tls: Security;
  user: string;
}

type FieldName = keyof AccountDraft | 'password';

const SECURITY: Security[] = ['implicit', 'starttls', 'none'];

/** The draft of one mailbox's fields: what was typed, else what was saved, else the defaults. */
export function readDraft(session: Session, prefix: 'source' | 'target', saved: AccountFields | null, defaultUser: string): AccountDraft {
  const tls = session.draft(`${prefix}.tls`);
  return {
    host: session.draft(`${prefix}.host`) ?? saved?.host ?? '',
    port: session.draft(`${prefix}.port`) ?? String(saved?.port ?? 993),
    tls: SECURITY.includes(tls as Security) ? (tls as Security) : (saved?.tls ?? 'implicit'),
    user: session.draft(`${prefix}.user`) ?? saved?.user ?? defaultUser,
  };
}

export function draftEntries(prefix: 'source' | 'target', d: AccountDraft): Record<string, string> {
  return { [`${prefix}.host`]: d.host, [`${prefix}.port`]: d.port, [`${prefix}.tls`]: d.tls, [`${prefix}.user`]: d.user };
}

/** The sentence for each field that is not right yet. */
export function draftProblems(d: AccountDraft, password: string): Partial<Record<FieldName, string>> {
  const found: Partial<Record<FieldName, string>> = {};
  const host = checkHost(d.host);
  const port = checkPort(d.port);
  const user = checkUser(d.user);
  const pw = checkPassword(password);
  if (host) found.host = host;
  if (port) found.port = port;
  if (user) found.user = user;
  if (pw) found.password = pw;
  return found;
}

/** The saved form of a draft, or null while any field is not valid yet. */
export function parseDraft(d: AccountDraft): AccountFields | null {
  if (checkHost(d.host) || checkPort(d.port) || checkUser(d.user)) return null;
  return { host: d.host.trim(), port: Number(d.port.trim()), tls: d.tls, user: d.user.trim() };
}

/** Which fields show their sentence: those the person has changed or left, or all after they pressed the main button. */
export function useShown(): { shown: (f: string) => boolean; touch: (f: string) => void; showAll: () => void } {
  const [touched, setTouched] = useState<Set<string> | 'all'>(new Set());
  return {
    shown: (f) => touched === 'all' || touched.has(f),
    touch: (f) => setTouched((t) => (t === 'all' || t.has(f) ? t : new Set([...t, f]))),
    showAll: () => setTouched('all'),
  };
}

/** Server, port, security, user name and password; shared by the old and the new mailbox. */
export function AccountForm({
  value,
  onChange,
  password,
  onPassword,
  shown,
  touch,
}: {
  value: AccountDraft;
  onChange: (v: AccountDraft) => void;
  password: string;
  onPassword: (p: string) => void;
  shown: (f: FieldName) => boolean;
  touch: (f: FieldName) => void;
}) {
  const problems = draftProblems(value, password);
  const message = (f: FieldName): string | undefined => (shown(f) ? problems[f] : undefined);
  const state = (f: FieldName): 'error' | 'none' => (message(f) ? 'error' : 'none');
  const edit = (f: keyof AccountDraft, v: string): void => {
    touch(f);
    onChange({ ...value, [f]: v });
  };
  return (
    <>
      <div className="field-row">
        <Field label="Server" validationMessage={message('host')} validationState={state('host')}>
          <Input value={value.host} maxLength={253} autoComplete="off" spellCheck={false} onChange={(_e, d) => edit('host', d.value)} onBlur={() => touch('host')} />
        </Field>
        <Field label="Port" validationMessage={message('port')} validationState={state('port')}>
          <Input value={value.port} maxLength={6} inputMode="numeric" onChange={(_e, d) => edit('port', d.value)} onBlur={() => touch('port')} />
        </Field>
        <Field label="Security">
          <Select value={value.tls} onChange={(_e, d) => edit('tls', d.value)}>
            <option value="implicit">SSL/TLS</option>
            <option value="starttls">STARTTLS</option>
            <option value="none">None (only for this computer)</option>
          </Select>
        </Field>
      </div>
      <div className="field-pair">
        <Field label="User name" hint="Usually the full e-mail address." validationMessage={message('user')} validationState={state('user')}>
          <Input value={value.user} maxLength={320} autoComplete="username" spellCheck={false} onChange={(_e, d) => edit('user', d.value)} onBlur={() => touch('user')} />
        </Field>
        <Field label="Password" hint="Kept only while Cutover is open, never stored." validationMessage={message('password')} validationState={state('password')}>
          <Input
           
            type="password"
            value={password}
            maxLength={1024}
            autoComplete="current-password"
            onChange={(_e, d) => {
              touch('password');
              onPassword(d.value);
            }}
            onBlur={() => touch('password')}
          />
        </Field>
      </div>
    </>
  );
}

export type TestOutcome = { ok: true } | { ok: false; problem: CutoverErrorData };

/** "Test connection" for either mailbox: whether it worked, or the engine's problem (worded by the page). */
export async function testAccount(api: CutoverApi, account: MailAccountInput, role: 'source' | 'target'): Promise<TestOutcome> {
  try {
    const r = await api.testConnection(account, role);
    return r.ok ? { ok: true } : { ok: false, problem: r.error ?? { code: 'internal', message: 'no error given', retryable: false } };
  } catch (err) {
    return { ok: false, problem: problemOf(err) };
  }
}

/** Moves the focus to the first field that shows a problem, after the page has shown the sentences. */
export function focusFirstProblem(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('.step-form [aria-invalid="true"]')?.focus());
}
