// @vitest-environment happy-dom
import './animations.js';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, type CutoverErrorData, type ErrorCode } from '../../src/shared/errors.js';
import type { Session } from '../../src/renderer/session.js';
import { ProblemNotice } from '../../src/renderer/parts/problem-notice.js';
import { PROBLEM_WORDS, type ProblemContext } from '../../src/renderer/words/problems.js';
import { fakeApi } from '../harness/fake-api.js';

afterEach(cleanup);

/** What the engine says: facts for the log and the CLI, never for the page. */
const ENGINE_TEXT = 'ENGINE-SENTENCE imap.example.org:993 Error: at Object.<anonymous>';
const engineError = (code: ErrorCode): CutoverErrorData => ({ code, message: ENGINE_TEXT, retryable: false });
const ROLES: ProblemContext['role'][] = ['source', 'target', 'engine', 'sign-in', 'dav', 'copy'];
const TARGETS: ProblemContext['target'][] = ['m365', 'imap', null];
/** What must never reach a person: engine or library words, codes, flags, the CLI. */
const FORBIDDEN = [/--[a-z]/, /\bcutover (login|sync|compare)\b/i, /README/, /AADSTS/, /\bundefined\b/, /\bnull\b/, /[a-z]+-[a-z]+-[a-z]+/];

describe('the app’s words for engine errors', () => {
  it('has words for every error code the engine can return, for every place it can happen', () => {
    for (const code of ERROR_CODES) {
      const worder = PROBLEM_WORDS[code];
      expect(worder, `no words for "${code}"`).toBeTypeOf('function');
      for (const role of ROLES) {
        for (const target of TARGETS) {
          const w = worder({ role, target });
          expect(w.title.length, `${code} title`).toBeGreaterThan(10);
          expect(w.todo.length, `${code} todo`).toBeGreaterThan(10);
          expect(w.title).not.toContain(code);
          for (const bad of FORBIDDEN) expect(`${w.title} ${w.todo}`, `${code} (${role}, ${target})`).not.toMatch(bad);
        }
      }
    }
  });

  it('shows each one on the page without the engine’s message, with a button to the step that fixes it', async () => {
    const fake = fakeApi({});
    const session = { api: fake.api, state: fake.state(), go: () => undefined } as unknown as Session;
    for (const code of ERROR_CODES) {
      const { container, unmount } = render(
        <FluentProvider theme={webLightTheme}>
          <ProblemNotice problem={engineError(code)} context={{ role: 'source' }} session={session} here="finish" />
        </FluentProvider>,
      );
      const text = container.textContent ?? '';
      expect(text, code).not.toContain('ENGINE-SENTENCE');
      expect(text, code).toMatch(/\.\s/);
      expect(text, code).toMatch(/On |Your choice/);
      const fix = PROBLEM_WORDS[code]({ role: 'source', target: null }).fix;
      if (fix) expect(container.querySelector('button')?.textContent, code).toBe(fix.label);
      unmount();
    }
  });
});
