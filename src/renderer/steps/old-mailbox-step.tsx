import { useState } from 'react';
import type { ServerSuggestion } from '../../shared/app-api.js';
import { nextStep, type Session } from '../app.js';
import { AccountForm, testAccount, type AccountFields } from './account-fields.js';

export function OldMailboxStep({ session }: { session: Session }) {
  const { state } = session;
  const [fields, setFields] = useState<AccountFields>(state.source ?? { host: '', port: 993, user: state.email, tls: 'implicit' });
  const [suggestions, setSuggestions] = useState<ServerSuggestion[]>([]);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error' | 'busy'; text: string } | null>(null);
  const [email, setEmail] = useState(state.email);

  const find = async (): Promise<void> => {
    setStatus({ kind: 'busy', text: 'Looking for your server settings…' });
    const found = await session.api.suggestServers(email).catch(() => []);
    setSuggestions(found);
    if (found[0]) setFields({ host: found[0].host, port: found[0].port, tls: found[0].tls, user: fields.user || email });
    setStatus(found.length ? { kind: 'ok', text: `Found ${found.length} possible setting(s); the first one is filled in. Change them if your provider told you otherwise.` } : { kind: 'error', text: 'No settings found; enter the server your provider gives.' });
    session.update({ email });
  };
  const test = async (): Promise<void> => {
    setStatus({ kind: 'busy', text: 'Connecting…' });
    session.update({ source: fields, email });
    setStatus(await testAccount(session.api, { ...fields, password: session.sourcePassword }, 'source'));
  };
  return (
    <section aria-labelledby="old-intro">
      <p id="old-intro">Enter the address and password of the mailbox you are leaving. Cutover only reads it and never changes anything there.</p>
      <label htmlFor="email">E-mail address</label>
      <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <button type="button" className="secondary" onClick={() => void find()} disabled={!email.includes('@')}>
        Find my settings
      </button>
      {suggestions.length > 1 && <p className="hint">Other candidates: {suggestions.slice(1).map((s) => `${s.host}:${s.port}`).join(', ')}</p>}
      <AccountForm value={fields} onChange={setFields} password={session.sourcePassword} onPassword={session.setSourcePassword} />
      <div>
        <button type="button" className="secondary" onClick={() => void test()} disabled={!fields.host || !session.sourcePassword}>
          Test connection
        </button>
        <button type="button" className="primary" onClick={() => (session.update({ source: fields, email }), session.go(nextStep('old-mailbox')))} disabled={!fields.host || !fields.user}>
          Next
        </button>
      </div>
      {status && (
        <p role="status" aria-live="polite" className={`status ${status.kind === 'busy' ? '' : status.kind}`}>
          {status.text}
        </p>
      )}
    </section>
  );
}
