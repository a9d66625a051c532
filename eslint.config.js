import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layering rules from docs (README "Architecture"): each folder may only reach what it is allowed to.
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const ENGINE = [
  { group: ['electron'], message: 'The engine runs in plain Node (CLI, web host, tests).' },
  { group: ['**/cli/**', '**/app/**', '**/web/**'], message: 'The engine never imports its hosts.' },
];
const NO_IMAPFLOW = { group: ['imapflow'], message: 'Only engine/imap talks to imapflow.' };
const NO_SQLITE = { group: ['better-sqlite3'], message: 'Only engine/state opens SQLite.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'test-artifacts/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: restrict([
      { group: ['node:*', 'electron', 'react', 'react-dom', 'imapflow', 'better-sqlite3'], message: 'src/shared is pure TypeScript shared by every layer.' },
      { group: ['../main/*', '../renderer/*', '**/main/**', '**/renderer/**'], message: 'src/shared imports nothing outside itself.' },
    ]),
  },
  {
    files: ['src/renderer/**'],
    rules: restrict([
      { group: ['node:*', 'electron', 'imapflow', 'better-sqlite3'], message: 'The renderer reaches the engine only through the typed API object.' },
      { group: ['**/main/**'], message: 'The renderer must not import main-process code.' },
    ]),
  },
  {
    // The hosts (CLI, Electron, web host, their shared helpers) reach the engine only through its service (issue 12).
    files: ['src/main/cli/**', 'src/main/app/**', 'src/main/web/**', 'src/main/rpc/**', 'src/main/*.ts'],
    rules: restrict([{ regex: '(^|/)engine/(?!service/)', message: 'A host imports only engine/service (and src/shared), never an engine folder directly.' }]),
  },
  {
    files: ['src/main/engine/**'],
    ignores: ['src/main/engine/imap/**', 'src/main/engine/state/**'],
    rules: restrict([...ENGINE, NO_IMAPFLOW, NO_SQLITE]),
  },
  {
    files: ['src/main/engine/imap/**'],
    rules: restrict([...ENGINE, NO_SQLITE, { group: ['../state/*', '../sync/*', '../compare/*'], message: 'engine/imap is a leaf.' }]),
  },
  {
    files: ['src/main/engine/state/**'],
    rules: restrict([...ENGINE, NO_IMAPFLOW, { group: ['../imap/*', '../sync/*', '../compare/*'], message: 'engine/state is a leaf.' }]),
  },
);
