// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * What happened to one file of a PushChunks.
 */
export interface PushedFile {
  /**
   * The path as requested (relative to the source root).
   */
  'path'?: (string);
  /**
   * "sent", "unchanged" or "failed".
   */
  'status'?: (string);
  /**
   * Whole-file digest, lowercase hex, when the file arrived.
   */
  'hash'?: (string);
  /**
   * Why it failed (data-plane reason, e.g. "path-denied", "checksum"); empty otherwise.
   */
  'reason'?: (string);
  /**
   * What went wrong, one sentence; empty otherwise.
   */
  'message'?: (string);
  /**
   * Size of the file in bytes when it was read.
   */
  'size'?: (number | string | Long);
}

/**
 * What happened to one file of a PushChunks.
 */
export interface PushedFile__Output {
  /**
   * The path as requested (relative to the source root).
   */
  'path': (string);
  /**
   * "sent", "unchanged" or "failed".
   */
  'status': (string);
  /**
   * Whole-file digest, lowercase hex, when the file arrived.
   */
  'hash': (string);
  /**
   * Why it failed (data-plane reason, e.g. "path-denied", "checksum"); empty otherwise.
   */
  'reason': (string);
  /**
   * What went wrong, one sentence; empty otherwise.
   */
  'message': (string);
  /**
   * Size of the file in bytes when it was read.
   */
  'size': (number);
}
