import type { LeaseClock } from '../dispatch/lease-clock.ts';

export interface PausableClock extends LeaseClock {
  /** Stops time: `now()` stands still and no timer fires until `resume()`. */
  pause(): void;
  resume(): void;
}

/** A wall clock that can be stopped, for tests of a lease holder that stalls. */
export function pausableClock(): PausableClock {
  let pausedAt: number | undefined;
  /** Wall time spent paused so far, taken off `now()`. */
  let skipped = 0;
  const parked = new Set<() => void>();
  const now = () => pausedAt ?? Date.now() - skipped;

  return {
    now,
    after(ms, fn) {
      const due = now() + ms;
      let timer: NodeJS.Timeout | undefined;
      let cancelled = false;
      const check = () => {
        if (cancelled) return;
        if (pausedAt !== undefined) {
          parked.add(check);
          return;
        }
        const left = due - now();
        if (left > 0) timer = setTimeout(check, left);
        else fn();
      };
      timer = setTimeout(check, Math.max(ms, 0));
      return () => {
        cancelled = true;
        parked.delete(check);
        clearTimeout(timer);
      };
    },
    pause() {
      pausedAt ??= now();
    },
    resume() {
      if (pausedAt === undefined) return;
      skipped = Date.now() - pausedAt;
      pausedAt = undefined;
      const waiting = [...parked];
      parked.clear();
      for (const check of waiting) check();
    },
  };
}
