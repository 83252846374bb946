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
