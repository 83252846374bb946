import { describe, expect, it } from 'vitest';
import { createSlidingWindowLimiter } from './sliding-window-limiter.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('sliding window limiter', () => {
  it('blocks after the limit within the window and says how long to wait', () => {
    const time = clock();
    const limiter = createSlidingWindowLimiter({ limit: 3, windowMs: 60_000, now: time.now });
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfterSeconds('a')).toBe(0);
      limiter.recordFailure('a');
      time.advance(10_000);
    }
    expect(limiter.retryAfterSeconds('a')).toBe(30);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
  });

  it('slides: the oldest failure leaving the window frees one attempt', () => {
    const time = clock();
    const limiter = createSlidingWindowLimiter({ limit: 2, windowMs: 60_000, now: time.now });
    limiter.recordFailure('a');
    time.advance(30_000);
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBeGreaterThan(0);
    time.advance(30_001);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('forgets a key after a success', () => {
    const time = clock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 60_000, now: time.now });
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBeGreaterThan(0);
    limiter.reset('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });
});
