import { createHash } from 'node:crypto';
import type { HashAlgorithm } from './hash-algorithm.ts';

/** SHA-256 from `node:crypto`, which Deno implements too. */
export const sha256Algorithm: HashAlgorithm = {
  name: 'sha256',
  hexLength: 64,
  create() {
    const hasher = createHash('sha256');
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
    return createHash('sha256').update(data).digest('hex');
  },
};
