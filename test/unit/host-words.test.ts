import { describe, expect, it } from 'vitest';
import { CLI_WORDS, cliErrorText, exitCodeOf } from '../../src/main/cli/error-hints.js';
import { PROBLEM_WORDS, type ProblemContext } from '../../src/renderer/words/problems.js';
import { ERROR_CODES, type CutoverErrorData } from '../../src/shared/errors.js';

/** A factual engine sentence, as the engine writes them: the CLI may show it, the app never. */
const FACTS = 'ENGINE-FACTS about imap.example.org:993 (42 bytes).';
/** What never reaches a person from either host: a stack, a thrown value's class name, a validator's text, undefined values. */
const STACK_OR_LIBRARY = [/\n/, /^\s+at /m, /\bError:/, /ZodError|invalid_type|Expected \w+, received/i, /\bundefined\b/, /\[object Object\]/, /node_modules/];
const COMMANDS = ['sync', 'compare', 'preflight', 'dedupe', 'login', 'whoami', 'contacts', 'calendar', 'dns', 'smtp-check'];
const ROLES: ProblemContext['role'][] = ['source', 'target', 'engine', 'sign-in', 'dav'];
const TARGETS: ProblemContext['target'][] = ['m365', 'imap', null];

describe('every engine error code has words in both hosts', () => {
  it('the command line: an entry of its own, one line without stack or library text, and an exit code', () => {
    for (const code of ERROR_CODES) {
      expect(Object.hasOwn(CLI_WORDS, code), `the CLI has no words for "${code}"`).toBe(true);
      // With and without the facts some codes carry (the words must not print "undefined" when they are missing).
      const samples: CutoverErrorData[] = [
        { code, message: FACTS, retryable: false },
        { code, message: FACTS, retryable: true, facts: { file: '/home/anna/.cutover/m365.json', pid: 4711, since: '2025-01-01T10:00:00Z', ceiling: 157_286_400, given: 200_000_000 } },
      ];
      for (const error of samples) {
        for (const command of COMMANDS) {
          const text = cliErrorText(error, { command });
          expect(text.trim().length, `${code} (${command})`).toBeGreaterThan(10);
          for (const bad of STACK_OR_LIBRARY) expect(text, `${code} (${command})`).not.toMatch(bad);
        }
      }
      expect([1, 2]).toContain(exitCodeOf({ code, message: FACTS, retryable: false }));
    }
  });

  it('the app: an entry of its own for every place, never stack or library text (test/renderer/error-words shows the engine’s sentence never reaches the page)', () => {
    for (const code of ERROR_CODES) {
      expect(Object.hasOwn(PROBLEM_WORDS, code), `the app has no words for "${code}"`).toBe(true);
      for (const role of ROLES) {
        for (const target of TARGETS) {
          const w = PROBLEM_WORDS[code]({ role, target });
          const text = [w.title, w.todo, w.fix?.label ?? ''].join(' ');
          for (const bad of STACK_OR_LIBRARY) expect(text, `${code} (${role}, ${target})`).not.toMatch(bad);
        }
      }
    }
  });
});
