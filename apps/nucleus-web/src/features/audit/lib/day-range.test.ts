import { describe, expect, it } from 'vitest';
import { dayRange } from './day-range.ts';

describe('dayRange', () => {
  it('spans from the start of the first day to the last millisecond of the last', () => {
    const range = dayRange('2026-03-01', '2026-03-01');
    expect(new Date(range.to ?? '').getTime() - new Date(range.from ?? '').getTime()).toBe(
      24 * 3600 * 1000 - 1,
    );
  });

  it('leaves out empty or malformed bounds', () => {
    expect(dayRange('', 'not-a-date')).toEqual({});
    expect(Object.keys(dayRange('2026-03-01', ''))).toEqual(['from']);
  });
});
