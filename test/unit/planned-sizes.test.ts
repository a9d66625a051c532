import { describe, expect, it } from 'vitest';
import { PlannedSizes } from '../../src/main/engine/sync/copy-plan.js';

const box = { uidValidity: 7, uidNext: 105, exists: 3 };
const sizes = new Map([
  [3, 1200],
  [40, 5_000_000_000],
  [104, 0],
]);

describe("a folder's sizes read by the plan, reused by its pass (copy-plan.ts)", () => {
  it('are given back exactly, once, while the folder is as planned', () => {
    const planned = new PlannedSizes(box, sizes);
    expect([...planned.take({ ...box })!]).toEqual([...sizes]);
    // Taken: forgotten (a retry of the pass after a reconnect reads them again).
    expect(planned.take({ ...box })).toBeNull();
  });

  it('are not used when the folder changed since, or when the server gave no UIDNEXT', () => {
    // A new message raises UIDNEXT; an expunge lowers the count; a new UIDVALIDITY renames every UID.
    for (const now of [{ ...box, uidNext: 106 }, { ...box, exists: 2 }, { ...box, uidValidity: 8 }, { ...box, uidNext: 0 }]) {
      const planned = new PlannedSizes(box, sizes);
      expect(planned.take(now), JSON.stringify(now)).toBeNull();
    }
    expect(new PlannedSizes({ ...box, uidNext: 0 }, sizes).take({ ...box, uidNext: 0 })).toBeNull();
  });
});
