// Original file: proto/orbit/v1/orbit.proto

import type { FileEntry as _orbit_v1_FileEntry, FileEntry__Output as _orbit_v1_FileEntry__Output } from '../../orbit/v1/FileEntry.ts';
import type { PathFailure as _orbit_v1_PathFailure, PathFailure__Output as _orbit_v1_PathFailure__Output } from '../../orbit/v1/PathFailure.ts';

/**
 * Completes an archive job's run on the destination Star. The files arrived over the data plane;
 * this adds the source's directories and symlinks, in batches, and the last batch writes the
 * snapshot (`snapshots/<id>.json`) that `orbit restore` rebuilds the tree from.
 */
export interface FinishArchive {
  /**
   * The job the archive belongs to; must have been prepared with PrepareReceive.archive.
   */
  'jobId'?: (string);
  /**
   * Absolute archive directory on this Star (the job's destination).
   */
  'destinationPath'?: (string);
  /**
   * Directories and symlinks of the source, paths relative to the source root.
   */
  'entries'?: (_orbit_v1_FileEntry)[];
  /**
   * True on the final batch: the snapshot is written after it.
   */
  'last'?: (boolean);
  /**
   * The job's name, recorded in the snapshot (what `restore` and the next run look up).
   */
  'jobName'?: (string);
  /**
   * The run's id, recorded in the snapshot.
   */
  'runId'?: (string);
  /**
   * The source directory on the source Star, recorded in the snapshot.
   */
  'sourcePath'?: (string);
  /**
   * Files the pushes confirmed (sent or unchanged); the Star refuses to write a snapshot that
   * would miss any of them.
   */
  'filesExpected'?: (number);
  /**
   * Source files that failed to arrive; the snapshot is then marked incomplete and lists them.
   */
  'failures'?: (_orbit_v1_PathFailure)[];
}

/**
 * Completes an archive job's run on the destination Star. The files arrived over the data plane;
 * this adds the source's directories and symlinks, in batches, and the last batch writes the
 * snapshot (`snapshots/<id>.json`) that `orbit restore` rebuilds the tree from.
 */
export interface FinishArchive__Output {
  /**
   * The job the archive belongs to; must have been prepared with PrepareReceive.archive.
   */
  'jobId': (string);
  /**
   * Absolute archive directory on this Star (the job's destination).
   */
  'destinationPath': (string);
  /**
   * Directories and symlinks of the source, paths relative to the source root.
   */
  'entries': (_orbit_v1_FileEntry__Output)[];
  /**
   * True on the final batch: the snapshot is written after it.
   */
  'last': (boolean);
  /**
   * The job's name, recorded in the snapshot (what `restore` and the next run look up).
   */
  'jobName': (string);
  /**
   * The run's id, recorded in the snapshot.
   */
  'runId': (string);
  /**
   * The source directory on the source Star, recorded in the snapshot.
   */
  'sourcePath': (string);
  /**
   * Files the pushes confirmed (sent or unchanged); the Star refuses to write a snapshot that
   * would miss any of them.
   */
  'filesExpected': (number);
  /**
   * Source files that failed to arrive; the snapshot is then marked incomplete and lists them.
   */
  'failures': (_orbit_v1_PathFailure__Output)[];
}
