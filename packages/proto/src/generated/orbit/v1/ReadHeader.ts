// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Read `length` bytes of a file from `offset`.
 */
export interface ReadHeader {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path'?: (string);
  /**
   * Where to start reading, bytes.
   */
  'offset'?: (number | string | Long);
  /**
   * How many bytes to read; at most 1 MiB (1048576), or the Star answers INVALID_ARGUMENT.
   */
  'length'?: (number);
}

/**
 * Read `length` bytes of a file from `offset`.
 */
export interface ReadHeader__Output {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path': (string);
  /**
   * Where to start reading, bytes.
   */
  'offset': (number);
  /**
   * How many bytes to read; at most 1 MiB (1048576), or the Star answers INVALID_ARGUMENT.
   */
  'length': (number);
}
