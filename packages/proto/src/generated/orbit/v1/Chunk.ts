// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One content-defined chunk.
 */
export interface Chunk {
  /**
   * Offset of the chunk in the file, bytes.
   */
  'offset'?: (number | string | Long);
  /**
   * Length of the chunk, bytes.
   */
  'length'?: (number);
  /**
   * Digest of the chunk's bytes in the command's algorithm, lowercase hex.
   */
  'hash'?: (string);
}

/**
 * One content-defined chunk.
 */
export interface Chunk__Output {
  /**
   * Offset of the chunk in the file, bytes.
   */
  'offset': (number);
  /**
   * Length of the chunk, bytes.
   */
  'length': (number);
  /**
   * Digest of the chunk's bytes in the command's algorithm, lowercase hex.
   */
  'hash': (string);
}
