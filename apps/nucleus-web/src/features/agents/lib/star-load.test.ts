import { describe, expect, it } from 'vitest';
import { formatLoad } from './star-load.ts';

describe('formatLoad', () => {
  it('prints counts as numbers and fractions as percentages', () => {
    expect(formatLoad({ cpu: 0.425, activeRuns: 2 })).toBe('cpu 43% · activeRuns 2');
  });
  it('shows a dash when nothing was reported', () => {
    expect(formatLoad(null)).toBe('—');
    expect(formatLoad({})).toBe('—');
  });
});
