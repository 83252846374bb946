import { Blake3Hasher, blake3 } from '@napi-rs/blake-hash';
import type { HashAlgorithm } from './hash-algorithm.ts';

/** BLAKE3 through the native `@napi-rs/blake-hash` addon (several GiB/s on one core). */
export const blake3Algorithm: HashAlgorithm = {
  name: 'blake3',
  hexLength: 64,
  create() {
    const hasher = new Blake3Hasher();
    return {
      update(data) {
        hasher.update(data);
      },
      digest() {
        return hasher.digest('hex');
      },
    };
  },
  hash(data) {
    return blake3(data).toString('hex');
  },
};
