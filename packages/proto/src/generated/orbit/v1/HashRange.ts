// Original file: proto/orbit/v1/orbit.proto

import type { HashAlgorithm as _orbit_v1_HashAlgorithm, HashAlgorithm__Output as _orbit_v1_HashAlgorithm__Output } from '../../orbit/v1/HashAlgorithm.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Hash `length` bytes of a file from `offset`.
 */
export interface HashRange {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path'?: (string);
  /**
   * Where the range starts, bytes.
   */
  'offset'?: (number | string | Long);
  /**
   * Length of the range, bytes; 0 means to the end of the file.
   */
  'length'?: (number | string | Long);
  /**
   * Digest to compute.
   */
  'algorithm'?: (_orbit_v1_HashAlgorithm);
}

/**
 * Hash `length` bytes of a file from `offset`.
 */
export interface HashRange__Output {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path': (string);
  /**
   * Where the range starts, bytes.
   */
  'offset': (number);
  /**
   * Length of the range, bytes; 0 means to the end of the file.
   */
  'length': (number);
  /**
   * Digest to compute.
   */
  'algorithm': (_orbit_v1_HashAlgorithm__Output);
}
