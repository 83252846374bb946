// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * HashRange's digest.
 */
export interface HashRangeResult {
  /**
   * Digest of the range, lowercase hex.
   */
  'hash'?: (string);
  /**
   * Bytes actually hashed (shorter than asked when the file ends first).
   */
  'length'?: (number | string | Long);
}

/**
 * HashRange's digest.
 */
export interface HashRangeResult__Output {
  /**
   * Digest of the range, lowercase hex.
   */
  'hash': (string);
  /**
   * Bytes actually hashed (shorter than asked when the file ends first).
   */
  'length': (number);
}
