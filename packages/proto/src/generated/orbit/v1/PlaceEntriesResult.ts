// Original file: proto/orbit/v1/orbit.proto

import type { PathFailure as _orbit_v1_PathFailure, PathFailure__Output as _orbit_v1_PathFailure__Output } from '../../orbit/v1/PathFailure.ts';

/**
 * PlaceEntries' answer.
 */
export interface PlaceEntriesResult {
  /**
   * Directories and symlinks created or replaced (existing identical ones are not counted).
   */
  'placed'?: (number);
  /**
   * Entries that could not be placed, with the reason (a file in the way, refused by the jail).
   */
  'failures'?: (_orbit_v1_PathFailure)[];
  /**
   * Symlinks this Star cannot create, with the reason. A Star places links through libc (Deno
   * allows its own symlink call only with unscoped permissions), on Linux only: elsewhere they
   * are reported here.
   */
  'skipped'?: (_orbit_v1_PathFailure)[];
  /**
   * Files given with `hard_link_to` that are now a hard link to that file: made, or already one.
   */
  'hardLinked'?: (string)[];
  /**
   * How many of `hard_linked` already were (left alone).
   */
  'hardLinksUnchanged'?: (number);
  /**
   * Files given with `hard_link_to` that got a copy of that file instead, because the destination's
   * filesystem cannot link them (no hard links there, or another filesystem), as the CLI does.
   */
  'hardLinkCopies'?: (string)[];
}

/**
 * PlaceEntries' answer.
 */
export interface PlaceEntriesResult__Output {
  /**
   * Directories and symlinks created or replaced (existing identical ones are not counted).
   */
  'placed': (number);
  /**
   * Entries that could not be placed, with the reason (a file in the way, refused by the jail).
   */
  'failures': (_orbit_v1_PathFailure__Output)[];
  /**
   * Symlinks this Star cannot create, with the reason. A Star places links through libc (Deno
   * allows its own symlink call only with unscoped permissions), on Linux only: elsewhere they
   * are reported here.
   */
  'skipped': (_orbit_v1_PathFailure__Output)[];
  /**
   * Files given with `hard_link_to` that are now a hard link to that file: made, or already one.
   */
  'hardLinked': (string)[];
  /**
   * How many of `hard_linked` already were (left alone).
   */
  'hardLinksUnchanged': (number);
  /**
   * Files given with `hard_link_to` that got a copy of that file instead, because the destination's
   * filesystem cannot link them (no hard links there, or another filesystem), as the CLI does.
   */
  'hardLinkCopies': (string)[];
}
