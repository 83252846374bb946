import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './keyed-queue.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('createKeyedQueue', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside', async () => {
    const run = createKeyedQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = run('team-a', async () => {
      log.push('a1 start');
      await gate.promise;
      log.push('a1 end');
    });
    const second = run('team-a', async () => {
      log.push('a2');
    });
    const other = run('team-b', async () => {
      log.push('b1');
    });
    await other;
    expect(log).toEqual(['a1 start', 'b1']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('keeps going after a failed task and hands its error to its caller only', async () => {
    const run = createKeyedQueue();
    const failed = run('team-a', async () => {
      throw new Error('boom');
    });
    const next = run('team-a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
