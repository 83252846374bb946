// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * How far a long-running command has got.
 */
export interface Progress {
  /**
   * The command this reports on.
   */
  'commandId'?: (string);
  /**
   * Files finished so far.
   */
  'filesDone'?: (number | string | Long);
  /**
   * Files expected in total, 0 when not known yet (a scan in progress).
   */
  'filesTotal'?: (number | string | Long);
  /**
   * Bytes finished so far.
   */
  'bytesDone'?: (number | string | Long);
  /**
   * Bytes expected in total, 0 when not known yet.
   */
  'bytesTotal'?: (number | string | Long);
  /**
   * The file being worked on now.
   */
  'currentPath'?: (string);
}

/**
 * How far a long-running command has got.
 */
export interface Progress__Output {
  /**
   * The command this reports on.
   */
  'commandId': (string);
  /**
   * Files finished so far.
   */
  'filesDone': (number);
  /**
   * Files expected in total, 0 when not known yet (a scan in progress).
   */
  'filesTotal': (number);
  /**
   * Bytes finished so far.
   */
  'bytesDone': (number);
  /**
   * Bytes expected in total, 0 when not known yet.
   */
  'bytesTotal': (number);
  /**
   * The file being worked on now.
   */
  'currentPath': (string);
}
