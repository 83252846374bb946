/**
 * In-process sliding-window counter for failed sign-ins per email + IP. It forgets on restart and
 * is not shared between Nucleus processes; one process per deployment is the supported setup.
 */
export interface SlidingWindowLimiter {
  /** Seconds until another attempt is allowed; 0 when allowed now. */
  retryAfterSeconds(key: string): number;
  recordFailure(key: string): void;
  reset(key: string): void;
}

export interface LimiterOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

export function createSlidingWindowLimiter({
  limit,
  windowMs,
  now = Date.now,
}: LimiterOptions): SlidingWindowLimiter {
  const failures = new Map<string, number[]>();

  function recent(key: string): number[] {
    const cutoff = now() - windowMs;
    const kept = (failures.get(key) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  }

  return {
    retryAfterSeconds(key) {
      const times = recent(key);
      if (times.length < limit) return 0;
      const oldest = times[times.length - limit] ?? now();
      return Math.max(1, Math.ceil((oldest + windowMs - now()) / 1000));
    },
    recordFailure(key) {
      failures.set(key, [...recent(key), now()]);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}

export const SIGN_IN_LIMIT = { limit: 5, windowMs: 15 * 60 * 1000 } as const;
