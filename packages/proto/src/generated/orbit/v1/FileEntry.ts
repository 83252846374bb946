// Original file: proto/orbit/v1/orbit.proto

import type { EntryKind as _orbit_v1_EntryKind, EntryKind__Output as _orbit_v1_EntryKind__Output } from '../../orbit/v1/EntryKind.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One entry found by ScanDirectory.
 */
export interface FileEntry {
  /**
   * Path relative to the scanned directory, `/`-separated, never starting with `/` or containing `..`.
   */
  'path'?: (string);
  /**
   * Size in bytes (0 for directories).
   */
  'size'?: (number | string | Long);
  /**
   * Last modification time, Unix milliseconds.
   */
  'mtimeUnixMs'?: (number | string | Long);
  /**
   * POSIX permission bits (e.g. 0644), without the file-type bits.
   */
  'mode'?: (number);
  /**
   * What the entry is.
   */
  'kind'?: (_orbit_v1_EntryKind);
  /**
   * For symlinks, the link's target as stored; empty otherwise.
   */
  'linkTarget'?: (string);
  /**
   * Owner (numeric user id) of a directory or symlink, which a destination Star running as root
   * keeps, as `rsync -a` does; 0 for files, whose owner travels with them over the data plane.
   */
  'uid'?: (number);
  /**
   * Group (numeric group id) of a directory or symlink, kept like `uid`; 0 for files.
   */
  'gid'?: (number);
  /**
   * For a file with several names (hard links) in the scanned tree: the path of its first name in
   * scan order, which a copy or mirror sends once and links this name to at the destination, as
   * `cp -a` does. Empty for that first name and for a file with one name in the tree.
   */
  'hardLinkTo'?: (string);
}

/**
 * One entry found by ScanDirectory.
 */
export interface FileEntry__Output {
  /**
   * Path relative to the scanned directory, `/`-separated, never starting with `/` or containing `..`.
   */
  'path': (string);
  /**
   * Size in bytes (0 for directories).
   */
  'size': (number);
  /**
   * Last modification time, Unix milliseconds.
   */
  'mtimeUnixMs': (number);
  /**
   * POSIX permission bits (e.g. 0644), without the file-type bits.
   */
  'mode': (number);
  /**
   * What the entry is.
   */
  'kind': (_orbit_v1_EntryKind__Output);
  /**
   * For symlinks, the link's target as stored; empty otherwise.
   */
  'linkTarget': (string);
  /**
   * Owner (numeric user id) of a directory or symlink, which a destination Star running as root
   * keeps, as `rsync -a` does; 0 for files, whose owner travels with them over the data plane.
   */
  'uid': (number);
  /**
   * Group (numeric group id) of a directory or symlink, kept like `uid`; 0 for files.
   */
  'gid': (number);
  /**
   * For a file with several names (hard links) in the scanned tree: the path of its first name in
   * scan order, which a copy or mirror sends once and links this name to at the destination, as
   * `cp -a` does. Empty for that first name and for a file with one name in the tree.
   */
  'hardLinkTo': (string);
}
