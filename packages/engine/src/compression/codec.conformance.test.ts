import { describe, expect, it } from 'vitest';
import { seededBytes } from '../chunking/seeded-bytes.test-helper.ts';
import { OrbitError } from '../errors.ts';
import type { CodecName } from './codec.ts';
import { CODECS, getCodec, isCodecName } from './codec-registry.ts';

const compressible = new TextEncoder().encode(
  Array.from({ length: 20_000 }, (_, index) => `row ${index}: status=ok bytes=${index * 13}\n`).join(''),
);

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

it('registers codecs under their names and rejects unknown ones', () => {
  for (const codec of CODECS) expect(getCodec(codec.name)).toBe(codec);
  expect(isCodecName('zstd')).toBe(true);
  expect(isCodecName('gzip')).toBe(false);
  expect(() => getCodec('gzip' as CodecName)).toThrow(OrbitError);
});

describe.each(CODECS.map((codec) => [codec.name, codec] as const))('%s', (_, codec) => {
  it.each([
    ['empty', new Uint8Array(0)],
    ['one byte', new Uint8Array([42])],
    ['random', seededBytes(1 << 20, 21)],
    ['compressible text', compressible],
    ['zeros', new Uint8Array(4 << 20)],
  ])('round-trips %s data', (_label, data) => {
    for (const level of [1, 3, 19]) {
      const encoded = codec.compress(data, level);
      expect(sameBytes(codec.decompress(encoded, data.length), data)).toBe(true);
    }
  });

  it('refuses to decode to a size other than the recorded one', () => {
    const encoded = codec.compress(compressible, 3);
    for (const wrongSize of [compressible.length - 1, compressible.length + 1]) {
      expect(() => codec.decompress(encoded, wrongSize)).toThrow(
        expect.objectContaining({ code: 'CORRUPT', hint: expect.any(String) }),
      );
    }
  });

  it('does not change its input', () => {
    const data = compressible.slice();
    codec.compress(data, 3);
    expect(sameBytes(data, compressible)).toBe(true);
  });
});

describe('zstd', () => {
  const zstd = getCodec('zstd');

  it('shrinks compressible data and keeps random data about the same size', () => {
    expect(zstd.compress(compressible, 3).length).toBeLessThan(compressible.length / 4);
    const random = seededBytes(1 << 20, 22);
    expect(zstd.compress(random, 3).length).toBeGreaterThan(random.length * 0.99);
  });

  it('reports damaged or truncated frames as CORRUPT', () => {
    const encoded = zstd.compress(compressible, 3);
    const truncated = encoded.subarray(0, encoded.length - 10);
    expect(() => zstd.decompress(truncated, compressible.length)).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
    expect(() => zstd.decompress(seededBytes(1000, 23), 5000)).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
  });

  it('returns an independent copy of each result', () => {
    const first = zstd.compress(compressible, 3);
    const snapshot = first.slice();
    zstd.compress(seededBytes(100_000, 24), 3);
    expect(sameBytes(first, snapshot)).toBe(true);
  });
});
