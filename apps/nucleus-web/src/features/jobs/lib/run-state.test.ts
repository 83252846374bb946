import { describe, expect, it } from 'vitest';
import { capitalise, isActiveRun } from './run-state.ts';

describe('run state helpers', () => {
  it('tells active runs from final ones', () => {
    expect(['queued', 'planning', 'running'].every(isActiveRun)).toBe(true);
    expect(['succeeded', 'failed', 'cancelled'].some(isActiveRun)).toBe(false);
  });
  it('turns a reason clause into a sentence start', () => {
    expect(capitalise('waiting for a Star')).toBe('Waiting for a Star');
    expect(capitalise('')).toBe('');
  });
});
