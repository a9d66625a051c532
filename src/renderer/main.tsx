import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createWebClient } from './api/web-client.js';
import { App } from './app.js';

// The Electron preload provides window.cutover; in a browser the web host's client does.
const api = window.cutover ?? createWebClient(window.location);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
}
