import { describe, expect, it } from 'vitest';
import { buildSourceMap, formatKeyPath, positionOf } from './source-locator.ts';

describe('buildSourceMap', () => {
  const text = `# comment with key = "not a key"
top = 1

[defaults]
compression = "zstd" # trailing comment
[defaults.chunking]
min = 1

[[job]]
name = "a"
source = { star = "nas", path = "/x" }
include = [
  "one",  # a comment between elements
  'two',
]
notes = """
fake = "inside a string"
"""
chunking.avg = 4096

[[job]]
  name = "b"
[job.chunking]
max = 8
`;
  const map = buildSourceMap(text);

  it('records tables, keys, inline-table keys and array elements', () => {
    expect(map).toMatchObject({
      top: { line: 2, column: 1 },
      defaults: { line: 4, column: 1 },
      'defaults.compression': { line: 5, column: 1 },
      'defaults.chunking': { line: 6, column: 1 },
      'defaults.chunking.min': { line: 7, column: 1 },
      job: { line: 9, column: 1 },
      'job[0]': { line: 9, column: 1 },
      'job[0].name': { line: 10, column: 1 },
      'job[0].source': { line: 11, column: 1 },
      'job[0].source.star': { line: 11, column: 12 },
      'job[0].source.path': { line: 11, column: 26 },
      'job[0].include[0]': { line: 13, column: 3 },
      'job[0].include[1]': { line: 14, column: 3 },
      'job[0].chunking': { line: 19, column: 1 },
      'job[0].chunking.avg': { line: 19, column: 1 },
      'job[1]': { line: 21, column: 1 },
      'job[1].name': { line: 22, column: 3 },
      'job[1].chunking': { line: 23, column: 1 },
      'job[1].chunking.max': { line: 24, column: 1 },
    });
  });

  it('ignores keys inside comments and multi-line strings', () => {
    expect(Object.keys(map)).not.toContain('fake');
    expect(Object.keys(map).some((key) => key.includes('fake'))).toBe(false);
  });

  it('falls back to the nearest recorded parent, then to line 1', () => {
    expect(positionOf(map, 'job[0].include[7]')).toEqual({ line: 12, column: 1 });
    expect(positionOf(map, 'job[1].mode')).toEqual({ line: 21, column: 1 });
    expect(positionOf(map, 'nowhere.at.all')).toEqual({ line: 1, column: 1 });
  });

  it('formats key paths with 0-based indexes', () => {
    expect(formatKeyPath(['job', 2, 'depends_on', 0])).toBe('job[2].depends_on[0]');
    expect(formatKeyPath(['defaults', 'chunking', 'min'])).toBe('defaults.chunking.min');
  });
});
