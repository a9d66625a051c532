import type { Session } from '../app.js';

/** Shown when a step needs passwords that this session does not have (they are never stored). */
export function NeedsAccounts({ session }: { session: Session }) {
  return (
    <p role="alert" className="status error">
      This step needs both mailboxes and their passwords (Cutover never stores passwords).{' '}
      <button type="button" className="secondary" onClick={() => session.go(session.source() ? 'microsoft-365' : 'old-mailbox')}>
        Enter them
      </button>
    </p>
  );
}
