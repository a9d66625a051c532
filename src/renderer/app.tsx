import type { CutoverApi } from '../shared/app-api.js';

/** The window's first screen. The guided migration wizard is built on top of this shell. */
export function App({ api = window.cutover }: { api?: CutoverApi | undefined }) {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '3rem auto', lineHeight: 1.5 }}>
      <h1>Cutover {api?.appVersion ?? ''}</h1>
      <p>Move your old mailbox to Microsoft 365 without losing a message.</p>
      <p>
        The mail copy runs today from the command line: <code>cutover sync --source imaps://you@old.example --target imaps://you@new.example</code>.
      </p>
    </main>
  );
}
