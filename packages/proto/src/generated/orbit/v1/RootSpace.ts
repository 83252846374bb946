// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Free space on one allowed root.
 */
export interface RootSpace {
  /**
   * The allowed root path as configured.
   */
  'path'?: (string);
  /**
   * Whether the Star may write under this root.
   */
  'writable'?: (boolean);
  /**
   * Bytes available to the Star's user.
   */
  'freeBytes'?: (number | string | Long);
  /**
   * Size of the filesystem holding the root, bytes.
   */
  'totalBytes'?: (number | string | Long);
}

/**
 * Free space on one allowed root.
 */
export interface RootSpace__Output {
  /**
   * The allowed root path as configured.
   */
  'path': (string);
  /**
   * Whether the Star may write under this root.
   */
  'writable': (boolean);
  /**
   * Bytes available to the Star's user.
   */
  'freeBytes': (number);
  /**
   * Size of the filesystem holding the root, bytes.
   */
  'totalBytes': (number);
}
