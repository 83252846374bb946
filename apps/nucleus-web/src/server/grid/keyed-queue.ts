/**
 * Runs tasks one at a time per key, in arrival order; different keys run concurrently. Used where
 * the database would serialise the work anyway (the per-team audit-chain lock): waiting here costs
 * nothing, while waiting inside a transaction holds a pooled connection and times out under load.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
