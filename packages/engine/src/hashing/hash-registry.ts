import { OrbitError } from '../errors.ts';
import { blake3Algorithm } from './blake3-algorithm.ts';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from './checksum-algorithm.ts';
import type { HashAlgorithm } from './hash-algorithm.ts';
import { noneAlgorithm } from './none-algorithm.ts';
import { sha256Algorithm } from './sha256-algorithm.ts';

const registry: Readonly<Record<ChecksumAlgorithm, HashAlgorithm>> = {
  blake3: blake3Algorithm,
  sha256: sha256Algorithm,
  none: noneAlgorithm,
};

/** Every registered algorithm, in the order of `CHECKSUM_ALGORITHMS`. */
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = CHECKSUM_ALGORITHMS.map((name) => registry[name]);

export function getHashAlgorithm(name: ChecksumAlgorithm): HashAlgorithm {
  const algorithm: HashAlgorithm | undefined = registry[name];
  if (algorithm === undefined) {
    throw new OrbitError('INVALID_ARGUMENT', `unknown checksum algorithm "${String(name)}"`, {
      hint: `use one of ${CHECKSUM_ALGORITHMS.map((known) => `"${known}"`).join(', ')}`,
    });
  }
  return algorithm;
}
