import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.ts';

describe('parseByteSize', () => {
  it.each([
    ['65536', 65_536],
    ['64MiB', 64 * 2 ** 20],
    ['1.5 GB', 1_500_000_000],
    ['512KiB', 524_288],
    ['3B', 3],
  ])('reads %s', (text, bytes) => {
    expect(parseByteSize(text)).toEqual({ bytes });
  });

  it.each(['', 'MiB', '64 XB', '-1', '0.1B', '1e3', '99999999999TiB'])('refuses %j with a reason', (text) => {
    expect(parseByteSize(text)).toHaveProperty('problem');
  });
});
