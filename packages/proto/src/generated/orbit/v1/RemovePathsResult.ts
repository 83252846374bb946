// Original file: proto/orbit/v1/orbit.proto

import type { PathFailure as _orbit_v1_PathFailure, PathFailure__Output as _orbit_v1_PathFailure__Output } from '../../orbit/v1/PathFailure.ts';

/**
 * RemovePaths' answer.
 */
export interface RemovePathsResult {
  /**
   * Paths removed, relative to the destination, in the order they were removed.
   */
  'removed'?: (string)[];
  /**
   * Entries left in place, with the reason (changed kind, refused by the jail, a transfer's temp
   * file). A folder that is not empty (it holds excluded entries) stays without being listed.
   */
  'failures'?: (_orbit_v1_PathFailure)[];
}

/**
 * RemovePaths' answer.
 */
export interface RemovePathsResult__Output {
  /**
   * Paths removed, relative to the destination, in the order they were removed.
   */
  'removed': (string)[];
  /**
   * Entries left in place, with the reason (changed kind, refused by the jail, a transfer's temp
   * file). A folder that is not empty (it holds excluded entries) stays without being listed.
   */
  'failures': (_orbit_v1_PathFailure__Output)[];
}
