import { describe, expect, it } from 'vitest';
import {
  ACTIVE_RUN_STATES,
  canRetry,
  isTerminal,
  nextRunState,
  RUN_STATES,
  type RunEvent,
} from './run-state-machine.ts';

const EVENTS: readonly RunEvent[] = ['plan', 'start', 'succeed', 'fail', 'cancel'];

describe('run state machine', () => {
  it('follows queued → planning → running → succeeded', () => {
    expect(nextRunState('queued', 'plan')).toBe('planning');
    expect(nextRunState('planning', 'start')).toBe('running');
    expect(nextRunState('running', 'succeed')).toBe('succeeded');
  });

  it('lets every unfinished run fail or be cancelled', () => {
    for (const state of ['queued', 'planning', 'running'] as const) {
      expect(nextRunState(state, 'fail')).toBe('failed');
      expect(nextRunState(state, 'cancel')).toBe('cancelled');
    }
  });

  it('refuses skipped steps and any move out of a finished state', () => {
    expect(nextRunState('queued', 'start')).toBeNull();
    expect(nextRunState('queued', 'succeed')).toBeNull();
    expect(nextRunState('planning', 'succeed')).toBeNull();
    for (const state of ['succeeded', 'failed', 'cancelled'] as const) {
      expect(isTerminal(state)).toBe(true);
      for (const event of EVENTS) expect(nextRunState(state, event)).toBeNull();
    }
  });

  it('counts exactly the unfinished states as active and retries only failures and cancellations', () => {
    expect(ACTIVE_RUN_STATES).toEqual(['queued', 'planning', 'running']);
    expect(RUN_STATES.filter(canRetry)).toEqual(['failed', 'cancelled']);
  });
});
