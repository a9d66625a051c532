import { createApiProxy } from '../../src/shared/api-proxy.js';
import { wizardStateSchema, type ApiEvent, type ApiMethod, type WizardState } from '../../src/shared/app-api.js';

/** An API double recording calls; each test says what the engine answers. */
export function fakeApi(answers: Partial<Record<ApiMethod, (...args: unknown[]) => unknown>>, initial: Partial<WizardState> = {}) {
  const calls: { method: ApiMethod; args: unknown[] }[] = [];
  let state = wizardStateSchema.parse({ step: 'old-mailbox', ...initial });
  const listeners = new Set<(e: ApiEvent) => void>();
  const defaults: Partial<Record<ApiMethod, (...args: unknown[]) => unknown>> = {
    m365Status: () => ({ signedIn: false, username: null, name: null, hasClientId: true }),
  };
  const api = createApiProxy(
    async (method, args) => {
      calls.push({ method, args });
      if (method === 'getWizardState') return state;
      if (method === 'saveWizardState') {
        // The same schema the main side checks: a draft the app saves must always pass it.
        state = wizardStateSchema.parse(args[0]);
        return undefined;
      }
      const answer = answers[method] ?? defaults[method];
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
