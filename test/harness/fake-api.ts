import { createApiProxy } from '../../src/shared/api-proxy.js';
import { wizardStateSchema, type ApiEvent, type ApiMethod, type WizardState } from '../../src/shared/app-api.js';
import type { PairStatus } from '../../src/shared/sync-types.js';

/** A pair Cutover knows nothing about yet. */
export const NO_STATUS: PairStatus = { running: null, elsewhere: null, known: 0, done: 0, failed: 0, skipped: 0, folders: [], copiedByCutover: 0, lastRun: null, lastSummary: null };

/** What the engine answers when a test does not say: nothing known about the pair, an app registration known. */
const DEFAULTS: Partial<Record<ApiMethod, (...args: unknown[]) => unknown>> = {
  syncStatus: () => NO_STATUS,
  m365Status: () => ({ signedIn: false, username: null, name: null, hasClientId: true }),
};

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
        // The same schema the main side checks: a draft the app saves must always pass it.
        state = wizardStateSchema.parse(args[0]);
        return undefined;
      }
      const answer = answers[method] ?? DEFAULTS[method];
      if (!answer) throw new Error(`unexpected call ${method}`);
      return answer(...args);
    },
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  );
  return { api, calls, state: () => state, emit: (e: ApiEvent) => listeners.forEach((l) => l(e)), called: (m: ApiMethod) => calls.filter((c) => c.method === m) };
}
