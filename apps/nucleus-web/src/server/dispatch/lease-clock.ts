/**
 * The lease's own sense of time: when it renews and when it must assume it lost the lease. Real
 * processes use the wall clock; tests pass a clock they pause, which is what a stalled process
 * (GC pause, SIGSTOP, a VM migration) looks like to its lease: no renewal and no watchdog firing.
 */
export interface LeaseClock {
  now(): number;
  /** Calls `fn` once `ms` have passed on this clock; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const wallClock: LeaseClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(ms, 0));
    return () => clearTimeout(timer);
  },
};
