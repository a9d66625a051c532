import { useEffect, useState } from 'react';
import type { M365Status } from '../../shared/app-api.js';
import type { Session } from '../app.js';
import { errorText } from '../api/web-client.js';

/** Who is signed in to Microsoft 365, and the sign-in itself (browser or code). */
export function M365SignIn({ session, onStatus }: { session: Session; onStatus: (s: M365Status) => void }) {
  const [status, setStatus] = useState<M365Status | null>(null);
  const [prompt, setPrompt] = useState<{ url: string; userCode: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [clientId, setClientId] = useState('');
  const [tenant, setTenant] = useState('');
  useEffect(() => {
    void session.api.m365Status().then((s) => {
      setStatus(s);
      onStatus(s);
    });
    return session.api.onEvent((e) => {
      if (e.type === 'm365-sign-in') setPrompt(e);
    });
  }, [session.api]);
  const signIn = async (deviceCode: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    setPrompt(null);
    try {
      const s = await session.api.m365SignIn({ deviceCode, clientId: clientId.trim() || null, tenant: tenant.trim() || null });
      setStatus(s);
      onStatus(s);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      setPrompt(null);
    }
  };
  if (status?.signedIn) {
    return (
      <p role="status" className="status ok">
        Signed in to Microsoft 365 as {status.name ? `${status.name} ` : ''}&lt;{status.username}&gt;.{' '}
        <button type="button" className="secondary" onClick={() => void session.api.m365SignOut().then(() => setStatus({ signedIn: false, username: null, name: null }))}>
          Sign out
        </button>
      </p>
    );
  }
  return (
    <div>
      <p>Sign in with your Microsoft 365 account. Your organisation may ask for a second factor; Cutover never sees your password.</p>
      <details>
        <summary>Organisation settings (from your admin)</summary>
        <label htmlFor="client-id">App registration client ID</label>
        <input id="client-id" value={clientId} onChange={(e) => setClientId(e.target.value)} placeholder="11111111-2222-3333-4444-555555555555" />
        <label htmlFor="tenant">Tenant (ID or domain)</label>
        <input id="tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} placeholder="contoso.com" />
      </details>
      <button type="button" className="primary" disabled={busy} onClick={() => void signIn(false)}>
        Sign in with the browser
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => void signIn(true)}>
        Sign in with a code
      </button>
      {prompt && (
        <p role="status" aria-live="polite" className="status warning">
          {prompt.userCode ? (
            <>
              Open <a href={prompt.url} target="_blank" rel="noopener noreferrer">{prompt.url}</a> and enter the code <strong data-testid="device-code">{prompt.userCode}</strong>.
            </>
          ) : (
            <>
              {prompt.message} If no window opened, <a href={prompt.url} target="_blank" rel="noopener noreferrer">open the sign-in page</a>.
            </>
          )}
        </p>
      )}
      {error && <p role="alert" className="status error">{error}</p>}
    </div>
  );
}
