import type { FindingLevel } from '../../shared/preflight-types.js';

/** How a finding of each level is shown: the MessageBar intent of the account check and the DNS check. */
export const FINDING_INTENT = { ok: 'success', warning: 'warning', blocking: 'error' } as const satisfies Record<FindingLevel, string>;

/** Findings in the order a person should read them: what blocks first, what is fine last. */
export function byLevel<T extends { level: FindingLevel }>(findings: readonly T[]): T[] {
  const order = { blocking: 0, warning: 1, ok: 2 } as const;
  return [...findings].sort((a, b) => order[a.level] - order[b.level]);
}
