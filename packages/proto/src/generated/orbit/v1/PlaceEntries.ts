// Original file: proto/orbit/v1/orbit.proto

import type { FileEntry as _orbit_v1_FileEntry, FileEntry__Output as _orbit_v1_FileEntry__Output } from '../../orbit/v1/FileEntry.ts';

/**
 * Make a job's destination hold the source's directories, symlinks and hard links (files arrive
 * over the data plane). Symlinks are created as links, never followed, under a temp name renamed
 * into place; a folder gets its mode and mtime once everything inside it is in place. A file with
 * `hard_link_to` becomes a hard link to that path's file (already arrived), made under a temp name
 * and renamed; where the filesystem has no hard links it gets a copy of that file. Every path goes
 * through the path jail and must not run through a symlink below `destination_path`.
 */
export interface PlaceEntries {
  /**
   * Absolute destination directory of the job on this Star; must be inside a read-write root.
   */
  'destinationPath'?: (string);
  /**
   * Directories, symlinks and files with `hard_link_to`, as the source's scan reported them, paths
   * relative to the source root. Other files are ignored.
   */
  'entries'?: (_orbit_v1_FileEntry)[];
}

/**
 * Make a job's destination hold the source's directories, symlinks and hard links (files arrive
 * over the data plane). Symlinks are created as links, never followed, under a temp name renamed
 * into place; a folder gets its mode and mtime once everything inside it is in place. A file with
 * `hard_link_to` becomes a hard link to that path's file (already arrived), made under a temp name
 * and renamed; where the filesystem has no hard links it gets a copy of that file. Every path goes
 * through the path jail and must not run through a symlink below `destination_path`.
 */
export interface PlaceEntries__Output {
  /**
   * Absolute destination directory of the job on this Star; must be inside a read-write root.
   */
  'destinationPath': (string);
  /**
   * Directories, symlinks and files with `hard_link_to`, as the source's scan reported them, paths
   * relative to the source root. Other files are ignored.
   */
  'entries': (_orbit_v1_FileEntry__Output)[];
}
