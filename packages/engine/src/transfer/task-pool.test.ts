import { describe, expect, it } from 'vitest';
import { TaskPool } from './task-pool.ts';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve = (): void => undefined;
  let reject = (_error: Error): void => undefined;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('TaskPool', () => {
  it('keeps the weight in flight within its limit, a heavy task waiting for room', async () => {
    const pool = new TaskPool(4);
    const gates = Array.from({ length: 6 }, deferred);
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const task = (index: number, weight: number) => async (): Promise<void> => {
      started.push(index);
      inFlight += weight;
      most = Math.max(most, inFlight);
      await gates[index]?.promise;
      inFlight -= weight;
    };
    await pool.run(1, task(0, 1));
    await pool.run(1, task(1, 1));
    await pool.run(2, task(2, 2));
    const heavy = pool.run(3, task(3, 3));
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[1]?.resolve();
    await new Promise((wake) => setTimeout(wake, 0));
    expect(started).toEqual([0, 1, 2]); // 2 of 4 in use: 3 more do not fit yet
    gates[2]?.resolve();
    await heavy;
    expect(started).toEqual([0, 1, 2, 3]);
    // A weight above the limit runs alone rather than never.
    const huge = pool.run(99, task(4, 4));
    gates[3]?.resolve();
    await huge;
    gates[4]?.resolve();
    await pool.drain();
    expect(most).toBe(4);
  });

  it('surfaces the first failure from the next run and from drain, after every task settled', async () => {
    const pool = new TaskPool(2);
    const slow = deferred();
    let slowDone = false;
    await pool.run(1, async () => {
      await slow.promise;
      slowDone = true;
    });
    await pool.run(1, async () => {
      throw new Error('first');
    });
    await expect(pool.run(1, async () => undefined)).rejects.toThrow('first');
    const drained = pool.drain();
    slow.resolve();
    await expect(drained).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });
});
