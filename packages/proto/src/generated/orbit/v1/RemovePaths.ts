// Original file: proto/orbit/v1/orbit.proto

import type { RemoveEntry as _orbit_v1_RemoveEntry, RemoveEntry__Output as _orbit_v1_RemoveEntry__Output } from '../../orbit/v1/RemoveEntry.ts';

/**
 * Remove entries under a job's destination (a mirror's extra paths, and entries of another kind
 * than the source's in the way). Every removal happens through the path jail, never follows a
 * symlink, and only below `destination_path`; a directory is removed only once empty.
 */
export interface RemovePaths {
  /**
   * Absolute destination directory of the job on this Star; must be inside a read-write root.
   */
  'destinationPath'?: (string);
  /**
   * What to remove, relative to `destination_path`; removed deepest first.
   */
  'entries'?: (_orbit_v1_RemoveEntry)[];
}

/**
 * Remove entries under a job's destination (a mirror's extra paths, and entries of another kind
 * than the source's in the way). Every removal happens through the path jail, never follows a
 * symlink, and only below `destination_path`; a directory is removed only once empty.
 */
export interface RemovePaths__Output {
  /**
   * Absolute destination directory of the job on this Star; must be inside a read-write root.
   */
  'destinationPath': (string);
  /**
   * What to remove, relative to `destination_path`; removed deepest first.
   */
  'entries': (_orbit_v1_RemoveEntry__Output)[];
}
