// Original file: proto/orbit/v1/orbit.proto

import type { EntryKind as _orbit_v1_EntryKind, EntryKind__Output as _orbit_v1_EntryKind__Output } from '../../orbit/v1/EntryKind.ts';

/**
 * One entry to remove, as the Nucleus saw it in a scan of the destination.
 */
export interface RemoveEntry {
  /**
   * Path relative to the destination, `/`-separated, never starting with `/` or containing `..`.
   */
  'path'?: (string);
  /**
   * What the scan found; an entry that is now of another kind is left alone and reported.
   */
  'kind'?: (_orbit_v1_EntryKind);
}

/**
 * One entry to remove, as the Nucleus saw it in a scan of the destination.
 */
export interface RemoveEntry__Output {
  /**
   * Path relative to the destination, `/`-separated, never starting with `/` or containing `..`.
   */
  'path': (string);
  /**
   * What the scan found; an entry that is now of another kind is left alone and reported.
   */
  'kind': (_orbit_v1_EntryKind__Output);
}
