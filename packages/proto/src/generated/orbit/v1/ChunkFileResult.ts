// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * ChunkFile's summary.
 */
export interface ChunkFileResult {
  /**
   * Number of chunks.
   */
  'chunks'?: (number);
  /**
   * Digest of the whole file, lowercase hex.
   */
  'fileHash'?: (string);
  /**
   * Size of the file when it was chunked, bytes.
   */
  'size'?: (number | string | Long);
  /**
   * How many ResultPart messages carried the chunks.
   */
  'parts'?: (number);
}

/**
 * ChunkFile's summary.
 */
export interface ChunkFileResult__Output {
  /**
   * Number of chunks.
   */
  'chunks': (number);
  /**
   * Digest of the whole file, lowercase hex.
   */
  'fileHash': (string);
  /**
   * Size of the file when it was chunked, bytes.
   */
  'size': (number);
  /**
   * How many ResultPart messages carried the chunks.
   */
  'parts': (number);
}
