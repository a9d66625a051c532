import { createApiProxy } from '../../src/shared/api-proxy.js';
import { wizardStateSchema, type ApiEvent, type ApiMethod, type WizardState } from '../../src/shared/app-api.js';
import type { PairStatus } from '../../src/shared/sync-types.js';

/** A pair Cutover knows nothing about yet. */
export const NO_STATUS: PairStatus = { running: null, elsewhere: null, known: 0, done: 0, failed: 0, skipped: 0, folders: [], copiedByCutover: 0, lastRun: null, lastSummary: null };

/** An API double for component tests, recording calls; each test says what the engine answers. */
export function fakeApi(answers: Partial<Record<ApiMethod, (...args: unknown[]) => unknown>>, initial: Partial<WizardState> = {}) {
  const calls: { method: ApiMethod; args: unknown[] }[] = [];
  let state = wizardStateSchema.parse({ step: 'old-mailbox', ...initial });
  const listeners = new Set<(e: ApiEvent) => void>();
  const api = createApiProxy(
    async (method, args) => {
      calls.push({ method, args });
      if (method === 'getWizardState') return state;
      if (method === 'saveWizardState') {
        state = args[0] as WizardState;
        return undefined;
      }
      const answer = answers[method] ?? (method === 'syncStatus' ? () => NO_STATUS : undefined);
      if (!answer) throw new Error(`unexpected call ${method}`);
      return answer(...args);
    },
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  );
  return { api, calls, state: () => state, emit: (e: ApiEvent) => listeners.forEach((l) => l(e)) };
}
