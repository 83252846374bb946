/**
 * Runs async tasks with a weighted limit on how many are in flight. `run` resolves once the task
 * has started; a task's rejection surfaces from a later `run` or from `drain`.
 */
export class TaskPool {
  readonly #limit: number;
  readonly #running = new Set<Promise<void>>();
  /** Woken, oldest first, each time a task ends: a job starts tens of thousands of small tasks. */
  readonly #waiting: (() => void)[] = [];
  #used = 0;
  #failure: { error: unknown } | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async run(weight: number, task: () => Promise<void>): Promise<void> {
    const cost = Math.min(weight, this.#limit);
    while (this.#used + cost > this.#limit) await new Promise<void>((wake) => this.#waiting.push(wake));
    this.#throwFailure();
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        this.#running.delete(running);
        this.#used -= cost;
        this.#waiting.shift()?.();
      });
    this.#running.add(running);
    this.#used += cost;
  }

  /** Waits for every task; rethrows the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.#throwFailure();
  }

  /** Waits for every task, ignoring failures (used on the way out of an error). */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  #throwFailure(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
