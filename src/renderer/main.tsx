import { FluentProvider } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { CutoverApi } from '../shared/app-api.js';
import { createWebClient } from './api/web-client.js';
import { App } from './app.js';
import { THEMES, useSystemTheme } from './theme.js';

function Root({ api }: { api: CutoverApi }) {
  const theme = useSystemTheme();
  return (
    <FluentProvider theme={THEMES[theme]} className="provider" data-theme={theme}>
      <App api={api} />
    </FluentProvider>
  );
}

// The Electron preload provides window.cutover; in a browser the web host's client does.
const api = window.cutover ?? createWebClient(window.location);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Root api={api} />
    </StrictMode>,
  );
}
