import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/main/cli/cli-args.js';
import { resolveRules } from '../../src/main/engine/mail/folder-rules.js';

const FOLDERS = [
  { path: 'INBOX', delimiter: '.' },
  { path: 'Projects', delimiter: '.' },
  { path: 'Projects.2024', delimiter: '.' },
  { path: 'Café', delimiter: '.' },
];

describe('folder rules as people write them', () => {
  it('names source folders with "/" between levels, whatever the server uses', () => {
    expect(resolveRules({ exclude: ['Projects/2024', 'inbox'], rename: { Café: 'Kaffee', 'Projects/2024': 'Old/2024' } }, FOLDERS, true)).toEqual({
      exclude: ['Projects.2024', 'INBOX'],
      rename: { Café: 'Kaffee', 'Projects.2024': 'Old/2024' },
    });
    expect(resolveRules({ exclude: ['Projects/*'], rename: {} }, FOLDERS, true).exclude).toEqual(['Projects.*']);
  });

  it('refuses a folder the old mailbox does not have, naming it; saved rules skip it instead', () => {
    expect(() => resolveRules({ exclude: ['Sant'], rename: {} }, FOLDERS, true)).toThrow('The old mailbox has no folder "Sant" (to leave out).');
    expect(resolveRules({ exclude: ['Sant'], rename: { Gone: 'X' } }, FOLDERS, false)).toEqual({ exclude: [], rename: {} });
  });

  it('reads --exclude and --map from the command line, and refuses what cannot be meant', () => {
    const base = ['--source', 'imaps://a@h', '--target', 'imaps://b@h'];
    expect(parseCli(['sync', ...base, '--exclude', 'Sent', '--map', 'Café=Kaffee', '--map', 'A/B = C D'])).toMatchObject({ rules: { exclude: ['Sent'], rename: { Café: 'Kaffee', 'A/B': 'C D' } } });
    expect(parseCli(['compare', ...base])).toMatchObject({ rules: null });
    expect(() => parseCli(['sync', ...base, '--map', 'NoTarget'])).toThrow(/--map needs SOURCE=TARGET/);
    expect(() => parseCli(['sync', ...base, '--map', 'A=B', '--exclude', 'A'])).toThrow(/both left out/);
    expect(() => parseCli(['preflight', ...base, '--exclude', 'A'])).toThrow(/belong to sync and compare/);
    expect(() => parseCli(['dedupe', ...base, '--dry-run', '--yes'])).toThrow(/Give one of them/);
  });
});
