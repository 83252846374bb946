/**
 * The run lifecycle: queued → planning → running → succeeded | failed | cancelled. Pure, so the
 * Nucleus services and the grid apply exactly the same rules.
 */
export const RUN_STATES = ['queued', 'planning', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];

export type RunEvent = 'plan' | 'start' | 'succeed' | 'fail' | 'cancel';

const TRANSITIONS: Record<RunState, Partial<Record<RunEvent, RunState>>> = {
  queued: { plan: 'planning', fail: 'failed', cancel: 'cancelled' },
  planning: { start: 'running', fail: 'failed', cancel: 'cancelled' },
  running: { succeed: 'succeeded', fail: 'failed', cancel: 'cancelled' },
  succeeded: {},
  failed: {},
  cancelled: {},
};

/** The column each state stamps when it is entered. */
export const STATE_TIMESTAMP = {
  queued: 'queuedAt',
  planning: 'planningAt',
  running: 'startedAt',
  succeeded: 'finishedAt',
  failed: 'finishedAt',
  cancelled: 'finishedAt',
} as const satisfies Record<RunState, string>;

export function nextRunState(state: RunState, event: RunEvent): RunState | null {
  return TRANSITIONS[state][event] ?? null;
}

export function isTerminal(state: RunState): boolean {
  return Object.keys(TRANSITIONS[state]).length === 0;
}

export const ACTIVE_RUN_STATES: readonly RunState[] = RUN_STATES.filter((state) => !isTerminal(state));

/** A finished run that did not succeed may be retried as a new run. */
export function canRetry(state: RunState): boolean {
  return state === 'failed' || state === 'cancelled';
}
