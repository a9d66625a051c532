import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { tempStateDir } from '../harness/accounts.js';
import { addUser, TEST_PASSWORD } from '../harness/dovecot.js';
import { seed, simpleMessage } from '../harness/mailbox.js';
import { REPO_ROOT, imapsUrl } from '../harness/run-cli.js';

const dovecot = inject('dovecot');

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

async function waitFor(session: string, text: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-t', session, '-S', '-200');
    if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${screen}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('passwords on a terminal', () => {
  it('asks for each password with echo off when no environment variable is set, and copies', async () => {
    const src = addUser(dovecot, 'tty');
    const dst = addUser(dovecot, 'ttyd');
    await seed(dovecot, src, [], [{ folder: 'INBOX', raw: simpleMessage(1) }]);
    const session = `cutover-tty-${process.pid}`;
    const command = [
      'env -u CUTOVER_SOURCE_PASSWORD -u CUTOVER_TARGET_PASSWORD',
      process.execPath, '--import tsx src/main/cli/main.ts sync',
      '--source', imapsUrl(src, dovecot.imapsPort), '--target', imapsUrl(dst, dovecot.imapsPort),
      '--ca', dovecot.caFile, '--state-dir', tempStateDir(), '--json; echo EXIT=$?',
    ].join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', '-c', REPO_ROOT, command + '; sleep 30');
    try {
      await waitFor(session, `Password for ${src}@127.0.0.1:${dovecot.imapsPort} (source):`);
      tmux('send-keys', '-t', session, TEST_PASSWORD, 'Enter');
      await waitFor(session, `(target):`);
      tmux('send-keys', '-t', session, TEST_PASSWORD, 'Enter');
      const screen = await waitFor(session, /EXIT=\d/);
      expect(screen).toContain('EXIT=0');
      expect(screen).toContain('"copied":1');
      expect(screen).not.toContain(TEST_PASSWORD);
    } finally {
      tmux('kill-session', '-t', session);
    }
  }, 60_000);
});
