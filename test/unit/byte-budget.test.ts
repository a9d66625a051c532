import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../src/main/engine/sync/byte-budget.js';

describe('ByteBudget', () => {
  it('never lets more than its total out at once, and grants in the order asked', async () => {
    const budget = new ByteBudget(10);
    const order: string[] = [];
    const a = await budget.take(6);
    const b = budget.take(6).then((n) => (order.push('b'), n));
    const c = budget.take(1).then((n) => (order.push('c'), n));
    await Promise.resolve();
    // c would fit now, but b asked first: first come, first served (no lane starves).
    expect(order).toEqual([]);
    budget.give(a);
    expect(await b).toBe(6);
    expect(await c).toBe(1);
    expect(order).toEqual(['b', 'c']);
    expect(budget.peak).toBe(7);
  });

  it('lets a request larger than the whole budget through alone, clamped', async () => {
    const budget = new ByteBudget(10);
    const small = await budget.take(3);
    let bigGranted = false;
    const big = budget.take(30).then((n) => ((bigGranted = true), n));
    await Promise.resolve();
    expect(bigGranted).toBe(false);
    budget.give(small);
    expect(await big).toBe(10);
    expect(budget.peak).toBe(10);
  });
});
