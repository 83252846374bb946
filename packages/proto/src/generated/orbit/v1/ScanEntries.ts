// Original file: proto/orbit/v1/orbit.proto

import type { FileEntry as _orbit_v1_FileEntry, FileEntry__Output as _orbit_v1_FileEntry__Output } from '../../orbit/v1/FileEntry.ts';

/**
 * A batch of scanned entries.
 */
export interface ScanEntries {
  /**
   * Entries in this batch, in no particular order.
   */
  'entries'?: (_orbit_v1_FileEntry)[];
}

/**
 * A batch of scanned entries.
 */
export interface ScanEntries__Output {
  /**
   * Entries in this batch, in no particular order.
   */
  'entries': (_orbit_v1_FileEntry__Output)[];
}
