import { describe, expect, it } from 'vitest';
import { didYouMean, levenshtein } from './did-you-mean.ts';

describe('did-you-mean', () => {
  it('computes edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('suggests the closest candidate only when it looks like a typo', () => {
    expect(didYouMean('dependson', ['depends_on', 'destination'])).toBe('depends_on');
    expect(didYouMean('Mode', ['mode', 'name'])).toBe('mode');
    expect(didYouMean('colour', ['checksum', 'resume'])).toBeUndefined();
  });
});
