/** Run states a Star may still change; the rest are final. */
const ACTIVE = new Set(['queued', 'planning', 'running']);

export function isActiveRun(state: string): boolean {
  return ACTIVE.has(state);
}

/** The order a run passes through; the timeline draws these steps and marks the ones reached. */
export const RUN_TIMELINE = ['queued', 'planning', 'running', 'finished'] as const;
