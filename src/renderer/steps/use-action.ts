import { useState } from 'react';
import type { CutoverErrorData } from '../../shared/errors.js';
import { problemOf } from '../api/problem-of.js';
import { problemSentence } from '../words/problems.js';

/**
 * A button's long-running call: whether it runs, and what went wrong: the engine's problem (for
 * ProblemNotice) and the same in one sentence of the app's words (for pages that show text only).
 */
export function useAction(): { busy: boolean; error: string | null; problem: CutoverErrorData | null; run: (action: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<CutoverErrorData | null>(null);
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, error: problem ? problemSentence(problem, { role: 'engine', target: null }) : null, run };
}
