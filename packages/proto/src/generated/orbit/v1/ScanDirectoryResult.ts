// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * ScanDirectory's summary.
 */
export interface ScanDirectoryResult {
  /**
   * Files found (after include/exclude).
   */
  'files'?: (number | string | Long);
  /**
   * Directories found.
   */
  'directories'?: (number | string | Long);
  /**
   * Total size of the files, bytes.
   */
  'bytes'?: (number | string | Long);
  /**
   * How many ResultPart messages carried the entries.
   */
  'parts'?: (number);
}

/**
 * ScanDirectory's summary.
 */
export interface ScanDirectoryResult__Output {
  /**
   * Files found (after include/exclude).
   */
  'files': (number);
  /**
   * Directories found.
   */
  'directories': (number);
  /**
   * Total size of the files, bytes.
   */
  'bytes': (number);
  /**
   * How many ResultPart messages carried the entries.
   */
  'parts': (number);
}
