// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * PushChunks' summary.
 */
export interface PushChunksResult {
  /**
   * Chunks sent over the wire.
   */
  'chunksSent'?: (number);
  /**
   * Chunks the peer already had.
   */
  'chunksSkipped'?: (number);
  /**
   * Bytes written to the data plane (after compression).
   */
  'bytesSent'?: (number | string | Long);
}

/**
 * PushChunks' summary.
 */
export interface PushChunksResult__Output {
  /**
   * Chunks sent over the wire.
   */
  'chunksSent': (number);
  /**
   * Chunks the peer already had.
   */
  'chunksSkipped': (number);
  /**
   * Bytes written to the data plane (after compression).
   */
  'bytesSent': (number);
}
