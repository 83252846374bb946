import type { ChecksumAlgorithm } from './checksum-algorithm.ts';

/** A running hash: feed bytes in any split, then read the lowercase hex digest once. */
export interface IncrementalHash {
  update(data: Uint8Array): void;
  /** Lowercase hex; the `none` algorithm returns an empty string. */
  digest(): string;
}

/** One checksum algorithm. Implementations register in `hash-registry.ts`; callers never switch on names. */
export interface HashAlgorithm {
  readonly name: ChecksumAlgorithm;
  /** Length of `digest()` in hex characters (0 for `none`). */
  readonly hexLength: number;
  create(): IncrementalHash;
  hash(data: Uint8Array): string;
}
