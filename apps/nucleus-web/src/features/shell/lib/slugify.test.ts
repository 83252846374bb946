import { describe, expect, it } from 'vitest';
import { slugify } from './slugify.ts';

describe('slugify', () => {
  it('keeps letters and digits, folds accents and joins words with one dash', () => {
    expect(slugify('  Équipe Données  #2 ')).toBe('equipe-donnees-2');
  });
  it('caps the length at 40 without a trailing dash', () => {
    expect(slugify(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
  });
});
