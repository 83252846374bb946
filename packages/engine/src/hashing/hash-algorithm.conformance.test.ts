import { describe, expect, it } from 'vitest';
import { seededBytes, seededSplits, splitAt } from '../chunking/seeded-bytes.test-helper.ts';
import { OrbitError } from '../errors.ts';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from './checksum-algorithm.ts';
import { getHashAlgorithm, HASH_ALGORITHMS } from './hash-registry.ts';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Published test vectors (BLAKE3 reference, FIPS 180-2 examples). */
const VECTORS: Record<ChecksumAlgorithm, [string, string][]> = {
  blake3: [
    ['', 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'],
    ['abc', '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85'],
  ],
  sha256: [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ],
  none: [
    ['', ''],
    ['abc', ''],
  ],
};

it('registers every checksum algorithm under its own name', () => {
  expect(HASH_ALGORITHMS.map((algorithm) => algorithm.name)).toEqual([...CHECKSUM_ALGORITHMS]);
  for (const name of CHECKSUM_ALGORITHMS) expect(getHashAlgorithm(name).name).toBe(name);
});

it('rejects an unknown algorithm with a hint naming the known ones', () => {
  const unknown = 'md5' as ChecksumAlgorithm;
  expect(() => getHashAlgorithm(unknown)).toThrow(OrbitError);
  expect(() => getHashAlgorithm(unknown)).toThrow(/unknown checksum algorithm "md5"/);
});

describe.each(HASH_ALGORITHMS.map((algorithm) => [algorithm.name, algorithm] as const))(
  '%s',
  (_, algorithm) => {
    it.each(VECTORS[algorithm.name])('hashes %j to the published digest', (input, expected) => {
      expect(algorithm.hash(text(input))).toBe(expected);
      const incremental = algorithm.create();
      incremental.update(text(input));
      expect(incremental.digest()).toBe(expected);
    });

    it('returns lowercase hex of hexLength characters', () => {
      const digest = algorithm.hash(seededBytes(1000, 3));
      expect(digest).toHaveLength(algorithm.hexLength);
      expect(digest).toMatch(/^[0-9a-f]*$/);
    });

    it('gives the one-shot digest however the input is split', () => {
      const data = seededBytes(300_000, 11);
      const expected = algorithm.hash(data);
      for (const seed of [1, 2, 3, 4]) {
        const hasher = algorithm.create();
        for (const piece of splitAt(data, seededSplits(data.length, seed, 70_000))) hasher.update(piece);
        expect(hasher.digest()).toBe(expected);
      }
    });

    it('tells different inputs apart unless it is "none"', () => {
      const a = algorithm.hash(text('orbit'));
      const b = algorithm.hash(text('orbiT'));
      expect(a === b).toBe(algorithm.hexLength === 0);
    });
  },
);
