import { useId } from 'react';
import type { CutoverApi, MailAccountInput } from '../../shared/app-api.js';
import { errorText } from '../api/web-client.js';

export interface AccountFields {
  host: string;
  port: number;
  user: string;
  tls: 'implicit' | 'starttls' | 'none';
}

/** Server, port, security and user name, editable; shared by the old and the new mailbox. */
export function AccountForm({ value, onChange, password, onPassword }: { value: AccountFields; onChange: (v: AccountFields) => void; password: string; onPassword: (p: string) => void }) {
  const id = useId();
  return (
    <div>
      <div className="row">
        <div>
          <label htmlFor={`${id}-host`}>Server</label>
          <input id={`${id}-host`} value={value.host} autoComplete="off" onChange={(e) => onChange({ ...value, host: e.target.value.trim() })} />
        </div>
        <div>
          <label htmlFor={`${id}-port`}>Port</label>
          <input id={`${id}-port`} inputMode="numeric" value={String(value.port)} onChange={(e) => onChange({ ...value, port: Number(e.target.value.replace(/\D/g, '')) || 0 })} />
        </div>
        <div>
          <label htmlFor={`${id}-tls`}>Security</label>
          <select id={`${id}-tls`} value={value.tls} onChange={(e) => onChange({ ...value, tls: e.target.value as AccountFields['tls'] })}>
            <option value="implicit">SSL/TLS</option>
            <option value="starttls">STARTTLS</option>
            <option value="none">None (only for this computer)</option>
          </select>
        </div>
      </div>
      <label htmlFor={`${id}-user`}>User name</label>
      <input id={`${id}-user`} value={value.user} autoComplete="username" onChange={(e) => onChange({ ...value, user: e.target.value })} />
      <label htmlFor={`${id}-password`}>Password</label>
      <input id={`${id}-password`} type="password" value={password} autoComplete="current-password" onChange={(e) => onPassword(e.target.value)} />
    </div>
  );
}

/** "Test connection" for either mailbox, as a status line in plain words. */
export async function testAccount(api: CutoverApi, account: MailAccountInput, role: 'source' | 'target'): Promise<{ kind: 'ok' | 'error'; text: string }> {
  try {
    const r = await api.testConnection(account, role);
    return r.ok ? { kind: 'ok', text: `Connected. The ${role === 'source' ? 'old' : 'new'} mailbox has ${r.folders} folders.` } : { kind: 'error', text: r.error?.message ?? 'The connection failed.' };
  } catch (err) {
    return { kind: 'error', text: errorText(err) };
  }
}
