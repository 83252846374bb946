import { describe, expect, it } from 'vitest';
import { cursorOf, filterChoices, nextPage, pageRange, previousPage } from './run-file-pages.ts';

const counts = { total: 133, byStatus: { pending: 0, running: 0, done: 132, failed: 1, skipped: 0 } };

describe('the Files card', () => {
  it('offers All and the statuses some file has, with their counts', () => {
    expect(filterChoices(counts, 'all')).toEqual([
      { value: 'all', label: 'All', count: 133 },
      { value: 'done', label: 'Done', count: 132 },
      { value: 'failed', label: 'Failed', count: 1 },
    ]);
  });

  it('keeps offering the selected status once no file has it any more', () => {
    expect(filterChoices(counts, 'running').map((choice) => [choice.label, choice.count])).toEqual([
      ['All', 133],
      ['In progress', 0],
      ['Done', 132],
      ['Failed', 1],
    ]);
  });

  it('walks pages forward by the cursors it was given and back the same way', () => {
    const second = nextPage([], 'c1');
    const third = nextPage(second, 'c2');
    expect(cursorOf([])).toBeUndefined();
    expect(cursorOf(third)).toBe('c2');
    expect(previousPage(third)).toEqual(['c1']);
    expect(previousPage([])).toEqual([]);
    expect(pageRange([], 50, 50, 133)).toBe('1–50 of 133');
    expect(pageRange(third, 50, 33, 133)).toBe('101–133 of 133');
    expect(pageRange(second, 50, 50, undefined)).toBe('51–100');
    expect(pageRange([], 50, 0, 0)).toBe('0 of 0');
  });
});
