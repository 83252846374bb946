/**
 * One writer per target across all sessions of a server. A sender that reconnects after a drop
 * can race the old session's cleanup, so a second writer waits a little before it is refused.
 */
export class TargetLocks {
  readonly #held = new Map<string, Promise<void>>();

  /** Resolves with a release function, or with undefined if `target` stayed locked for `waitMs`. */
  async acquire(target: string, waitMs: number): Promise<(() => void) | undefined> {
    const deadline = Date.now() + waitMs;
    for (let held = this.#held.get(target); held !== undefined; held = this.#held.get(target)) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([held, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    let resolve = (): void => undefined;
    const held = new Promise<void>((done) => {
      resolve = done;
    });
    this.#held.set(target, held);
    // Idempotent: a second call must not free a lock someone else took since.
    const release = (): void => {
      if (this.#held.get(target) === held) this.#held.delete(target);
      resolve();
    };
    return release;
  }
}
