import type { HashAlgorithm } from './hash-algorithm.ts';

/** `checksum = "none"`: the caller opted out of verification; every digest is the empty string. */
export const noneAlgorithm: HashAlgorithm = {
  name: 'none',
  hexLength: 0,
  create() {
    return {
      update() {},
      digest() {
        return '';
      },
    };
  },
  hash() {
    return '';
  },
};
