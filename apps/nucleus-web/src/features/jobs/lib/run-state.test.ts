import { describe, expect, it } from 'vitest';
import { capitalise, isActiveRun, queuedRunNote } from './run-state.ts';

describe('run state helpers', () => {
  it('tells active runs from final ones', () => {
    expect(['queued', 'planning', 'running'].every(isActiveRun)).toBe(true);
    expect(['succeeded', 'failed', 'cancelled'].some(isActiveRun)).toBe(false);
  });
  it('turns a reason clause into a sentence start', () => {
    expect(capitalise('waiting for a Star')).toBe('Waiting for a Star');
    expect(capitalise('')).toBe('');
  });
  it('says a queued run with a Star waits for that Star to connect', () => {
    expect(queuedRunNote('waiting for Star "nas-01"', { name: 'nas-01' })).toBe(
      'Waiting for Star "nas-01": the run starts when the Star assigned to this job connects and picks it up.',
    );
  });
  it('says a queued run without a Star needs the job edited, whatever the dispatcher reason', () => {
    const expected =
      'Waiting for a Star: no source Star is assigned to this job. Edit the job to pick one; the run starts when that Star connects.';
    expect(queuedRunNote(null, null)).toBe(expected);
    expect(queuedRunNote('waiting: the job names no source Star; edit the job and pick one', null)).toBe(
      expected,
    );
    expect(queuedRunNote(null, null)).not.toContain('assigned to this job connects');
  });
});
