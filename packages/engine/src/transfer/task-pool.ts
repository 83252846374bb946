/**
 * Runs async tasks with a weighted limit on how many are in flight. `run` resolves once the task
 * has started; a task's rejection surfaces from a later `run` or from `drain`.
 */
export class TaskPool {
  readonly #limit: number;
  readonly #running = new Map<Promise<void>, number>();
  #used = 0;
  #failure: { error: unknown } | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async run(weight: number, task: () => Promise<void>): Promise<void> {
    const cost = Math.min(weight, this.#limit);
    while (this.#used + cost > this.#limit) await Promise.race(this.#running.keys());
    this.#throwFailure();
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        this.#running.delete(running);
        this.#used -= cost;
      });
    this.#running.set(running, cost);
    this.#used += cost;
  }

  /** Waits for every task; rethrows the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.#throwFailure();
  }

  /** Waits for every task, ignoring failures (used on the way out of an error). */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.keys());
  }

  #throwFailure(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
