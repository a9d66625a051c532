import { deviceChecklist } from '../../src/main/engine/cutover/device-checklist.js';
import { safeToClose } from '../../src/main/engine/watch/sweep.js';
import { createApiProxy } from '../../src/shared/api-proxy.js';
import { API_ARGUMENTS, describeIssues, wizardStateSchema, type ApiEvent, type ApiMethod, type EngineApi, type WizardState } from '../../src/shared/app-api.js';
import type { PairStatus } from '../../src/shared/sync-types.js';
import type { WatchStatus } from '../../src/shared/watch-types.js';

/** A pair never kept in step. */
export const NO_WATCH: WatchStatus = {
  state: 'not-started',
  jobId: null,
  elsewhere: null,
  lastCheckedAt: null,
  copiedTotal: 0,
  lateArrivals: { count: 0, lastAt: null, items: [] },
  switchSeenAt: null,
  sweepUntil: null,
  lastCompare: null,
  // The engine's own verdict for a pair with no switch, no late arrival and no comparison.
  safeToClose: safeToClose({ now: Date.now(), switchSeenAt: null, oldMxTtlSeconds: null, lastLateAt: null, compare: null }),
  error: null,
};

/** A pair Cutover knows nothing about yet. */
export const NO_STATUS: PairStatus = { running: null, elsewhere: null, known: 0, done: 0, failed: 0, skipped: 0, folders: [], copiedByCutover: 0, lastRun: null, lastSummary: null };

/** One call's answer, typed like the engine's method (it may also throw, as the engine does). */
export type FakeAnswer<M extends ApiMethod> = (...args: Parameters<EngineApi[M]>) => Awaited<ReturnType<EngineApi[M]>> | ReturnType<EngineApi[M]>;
type LooseAnswer = (...args: unknown[]) => unknown;

/** What the engine answers when a test does not say: nothing known about the pair, an app registration known, the engine's own checklist. */
const DEFAULTS: Partial<Record<ApiMethod, LooseAnswer>> = {
  syncStatus: () => NO_STATUS,
  m365Status: () => ({ signedIn: false, username: null, name: null, hasClientId: true }),
  deviceChecklist: (address) => deviceChecklist(address as string | null),
  watchStatus: () => NO_WATCH,
};

/** The cutover day's calls are typed strictly; the older ones keep their loose answers. */
type Answers = Partial<Record<Exclude<ApiMethod, CutoverDayMethod>, LooseAnswer>> & { [M in CutoverDayMethod]?: FakeAnswer<M> };
type CutoverDayMethod = 'checkDns' | 'checkSmtp' | 'deviceChecklist' | 'startWatch' | 'stopWatch' | 'watchStatus' | 'recordSwitch';

/** An API double for component tests, recording calls; each test says what the engine answers. */
export function fakeApi(answers: Answers, initial: Partial<WizardState> = {}) {
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
      // Checked with the main side's own argument schemas: the page must never send what the host refuses.
      {
        const parsed = API_ARGUMENTS[method].safeParse(args);
        if (!parsed.success) throw new Error(`${method} refused: ${describeIssues(parsed.error)}`);
      }
      const answer = (answers as Partial<Record<ApiMethod, LooseAnswer>>)[method] ?? DEFAULTS[method];
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
