/** Run states a Star may still change; the rest are final. */
const ACTIVE = new Set(['queued', 'planning', 'running']);

export function isActiveRun(state: string): boolean {
  return ACTIVE.has(state);
}

/** The order a run passes through; the timeline draws these steps and marks the ones reached. */
export const RUN_TIMELINE = ['queued', 'planning', 'running', 'finished'] as const;

/** The server words reasons as clauses ("waiting for a Star"); the UI shows them as sentences. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What a queued run waits for, as shown on the run page. A run takes its Star from the job's source;
 * without one no Star can pick it up, so the note says how to give it one instead of naming a reason.
 * The dispatcher's own reason (a dependency, a missing Star) still shows in the run's error line.
 */
export function queuedRunNote(reason: string | null, star: { readonly name: string } | null): string {
  if (!star) {
    return 'Waiting for a Star: no source Star is assigned to this job. Edit the job to pick one; the run starts when that Star connects.';
  }
  return `${capitalise(reason ?? 'waiting for a Star')}: the run starts when the Star assigned to this job connects and picks it up.`;
}
