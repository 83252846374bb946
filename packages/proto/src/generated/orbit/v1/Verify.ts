// Original file: proto/orbit/v1/orbit.proto

import type { HashAlgorithm as _orbit_v1_HashAlgorithm, HashAlgorithm__Output as _orbit_v1_HashAlgorithm__Output } from '../../orbit/v1/HashAlgorithm.ts';

/**
 * Hash a whole file and compare.
 */
export interface Verify {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path'?: (string);
  /**
   * Expected digest, lowercase hex.
   */
  'expectedHash'?: (string);
  /**
   * Digest to compute.
   */
  'algorithm'?: (_orbit_v1_HashAlgorithm);
}

/**
 * Hash a whole file and compare.
 */
export interface Verify__Output {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path': (string);
  /**
   * Expected digest, lowercase hex.
   */
  'expectedHash': (string);
  /**
   * Digest to compute.
   */
  'algorithm': (_orbit_v1_HashAlgorithm__Output);
}
