// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The source and destination of one file moved by PushChunks.
 */
export interface FileRef {
  /**
   * Absolute path of the file on the sending Star; must be inside an allowed root.
   */
  'sourcePath'?: (string);
  /**
   * Path relative to the receiver's destination directory, `/`-separated, no `..`.
   */
  'destinationPath'?: (string);
  /**
   * Size of the whole file, bytes.
   */
  'size'?: (number | string | Long);
}

/**
 * The source and destination of one file moved by PushChunks.
 */
export interface FileRef__Output {
  /**
   * Absolute path of the file on the sending Star; must be inside an allowed root.
   */
  'sourcePath': (string);
  /**
   * Path relative to the receiver's destination directory, `/`-separated, no `..`.
   */
  'destinationPath': (string);
  /**
   * Size of the whole file, bytes.
   */
  'size': (number);
}
