import { useState } from 'react';
import { nextStep, type Session } from '../app.js';
import { AccountForm, testAccount, type AccountFields } from './account-fields.js';
import { M365SignIn } from './m365-sign-in.js';

export function TargetStep({ session }: { session: Session }) {
  const current = session.state.target;
  const [kind, setKind] = useState<'m365' | 'imap'>(current?.kind ?? 'm365');
  const [user, setUser] = useState(current?.kind === 'm365' ? current.user : session.state.email);
  const [fields, setFields] = useState<AccountFields>(current?.kind === 'imap' ? current.account : { host: '', port: 993, user: '', tls: 'implicit' });
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const save = (): void => session.update({ target: kind === 'm365' ? { kind, user } : { kind, account: fields } });
  const test = async (): Promise<void> => {
    save();
    setStatus(await testAccount(session.api, { ...fields, password: session.targetPassword }, 'target'));
  };
  return (
    <section>
      <fieldset>
        <legend>Where should the mail go?</legend>
        <label>
          <input type="radio" name="target-kind" checked={kind === 'm365'} onChange={() => setKind('m365')} style={{ width: 'auto' }} /> Microsoft 365 / Exchange Online
        </label>
        <label>
          <input type="radio" name="target-kind" checked={kind === 'imap'} onChange={() => setKind('imap')} style={{ width: 'auto' }} /> Another IMAP mailbox
        </label>
      </fieldset>
      {kind === 'm365' ? (
        <div>
          <M365SignIn session={session} onStatus={(s) => s.username && setUser(s.username)} />
          <label htmlFor="m365-user">Microsoft 365 address</label>
          <input id="m365-user" type="email" value={user} onChange={(e) => setUser(e.target.value)} />
        </div>
      ) : (
        <>
          <AccountForm value={fields} onChange={setFields} password={session.targetPassword} onPassword={session.setTargetPassword} />
          <button type="button" className="secondary" onClick={() => void test()} disabled={!fields.host || !session.targetPassword}>
            Test connection
          </button>
        </>
      )}
      <button type="button" className="primary" onClick={() => (save(), session.go(nextStep('microsoft-365')))} disabled={kind === 'm365' ? !user.includes('@') : !fields.host}>
        Next
      </button>
      {status && (
        <p role="status" aria-live="polite" className={`status ${status.kind}`}>
          {status.text}
        </p>
      )}
    </section>
  );
}
