// Original file: proto/orbit/v1/orbit.proto

import type { ExpectedFile as _orbit_v1_ExpectedFile, ExpectedFile__Output as _orbit_v1_ExpectedFile__Output } from '../../orbit/v1/ExpectedFile.ts';
import type { ArchiveReceive as _orbit_v1_ArchiveReceive, ArchiveReceive__Output as _orbit_v1_ArchiveReceive__Output } from '../../orbit/v1/ArchiveReceive.ts';

/**
 * Get ready to receive files for a job. A job with many files is split over several PrepareReceive
 * commands with the same job id; each adds its files to the job's receive set.
 */
export interface PrepareReceive {
  /**
   * The job the files belong to; must match the ticket.
   */
  'jobId'?: (string);
  /**
   * Absolute destination directory on this Star; must be inside a read-write allowed root.
   */
  'destinationPath'?: (string);
  /**
   * Files in this batch.
   */
  'expectedFiles'?: (_orbit_v1_ExpectedFile)[];
  /**
   * Data-plane ticket (direction "receive") the sending Star will present; signed by the Nucleus.
   */
  'ticket'?: (string);
  /**
   * Set for an archive job: received chunks go into the content-addressed `.orbitpak` store at
   * `destination_path` (the engine's archive layout) instead of being written as files.
   */
  'archive'?: (_orbit_v1_ArchiveReceive | null);
  /**
   * False: a new attempt at the job's run (an archive starts its recorded entries afresh). True: a
   * later PrepareReceive of the same attempt that only adds `expected_files` (size, mode and mtime
   * set), which an archive answers with the files its latest snapshot already holds.
   */
  'addFiles'?: (boolean);
}

/**
 * Get ready to receive files for a job. A job with many files is split over several PrepareReceive
 * commands with the same job id; each adds its files to the job's receive set.
 */
export interface PrepareReceive__Output {
  /**
   * The job the files belong to; must match the ticket.
   */
  'jobId': (string);
  /**
   * Absolute destination directory on this Star; must be inside a read-write allowed root.
   */
  'destinationPath': (string);
  /**
   * Files in this batch.
   */
  'expectedFiles': (_orbit_v1_ExpectedFile__Output)[];
  /**
   * Data-plane ticket (direction "receive") the sending Star will present; signed by the Nucleus.
   */
  'ticket': (string);
  /**
   * Set for an archive job: received chunks go into the content-addressed `.orbitpak` store at
   * `destination_path` (the engine's archive layout) instead of being written as files.
   */
  'archive': (_orbit_v1_ArchiveReceive__Output | null);
  /**
   * False: a new attempt at the job's run (an archive starts its recorded entries afresh). True: a
   * later PrepareReceive of the same attempt that only adds `expected_files` (size, mode and mtime
   * set), which an archive answers with the files its latest snapshot already holds.
   */
  'addFiles': (boolean);
}
