import { describe, expect, it } from 'vitest';
import { formatProblem, problemsByLine } from './manifest-problems.ts';

describe('problemsByLine', () => {
  it('groups problems by line and keeps those without a usable line apart', () => {
    const problems = [
      { message: 'b', line: 4, column: 2 },
      { message: 'a', line: 2, column: 9 },
      { message: 'c', line: 4, column: 1 },
      { message: 'nowhere' },
      { message: 'past the end', line: 99 },
    ];
    const grouped = problemsByLine(problems, 10);
    expect([...grouped.byLine.keys()]).toEqual([4, 2]);
    expect(grouped.byLine.get(4)?.map((p) => p.message)).toEqual(['b', 'c']);
    expect(grouped.unplaced.map((p) => p.message)).toEqual(['nowhere', 'past the end']);
    expect(grouped.sorted.map((p) => p.message)).toEqual(['nowhere', 'a', 'c', 'b', 'past the end']);
  });
});

describe('formatProblem', () => {
  it('prints position, key path, message and hint', () => {
    expect(
      formatProblem({
        line: 12,
        column: 5,
        keyPath: 'job[1].depends_on',
        message: 'unknown job "x"',
        hint: 'did you mean "y"?',
      }),
    ).toBe('12:5 job[1].depends_on: unknown job "x" (did you mean "y"?)');
    expect(formatProblem({ message: 'empty manifest' })).toBe('empty manifest');
  });
});
