// Original file: proto/orbit/v1/orbit.proto

import type { ScanDirectory as _orbit_v1_ScanDirectory, ScanDirectory__Output as _orbit_v1_ScanDirectory__Output } from '../../orbit/v1/ScanDirectory.ts';
import type { ReadHeader as _orbit_v1_ReadHeader, ReadHeader__Output as _orbit_v1_ReadHeader__Output } from '../../orbit/v1/ReadHeader.ts';
import type { HashRange as _orbit_v1_HashRange, HashRange__Output as _orbit_v1_HashRange__Output } from '../../orbit/v1/HashRange.ts';
import type { ChunkFile as _orbit_v1_ChunkFile, ChunkFile__Output as _orbit_v1_ChunkFile__Output } from '../../orbit/v1/ChunkFile.ts';
import type { PrepareReceive as _orbit_v1_PrepareReceive, PrepareReceive__Output as _orbit_v1_PrepareReceive__Output } from '../../orbit/v1/PrepareReceive.ts';
import type { PushChunks as _orbit_v1_PushChunks, PushChunks__Output as _orbit_v1_PushChunks__Output } from '../../orbit/v1/PushChunks.ts';
import type { Verify as _orbit_v1_Verify, Verify__Output as _orbit_v1_Verify__Output } from '../../orbit/v1/Verify.ts';
import type { Drain as _orbit_v1_Drain, Drain__Output as _orbit_v1_Drain__Output } from '../../orbit/v1/Drain.ts';
import type { Cancel as _orbit_v1_Cancel, Cancel__Output as _orbit_v1_Cancel__Output } from '../../orbit/v1/Cancel.ts';
import type { RemovePaths as _orbit_v1_RemovePaths, RemovePaths__Output as _orbit_v1_RemovePaths__Output } from '../../orbit/v1/RemovePaths.ts';
import type { FinishArchive as _orbit_v1_FinishArchive, FinishArchive__Output as _orbit_v1_FinishArchive__Output } from '../../orbit/v1/FinishArchive.ts';
import type { PlaceEntries as _orbit_v1_PlaceEntries, PlaceEntries__Output as _orbit_v1_PlaceEntries__Output } from '../../orbit/v1/PlaceEntries.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One unit of work for a Star.
 */
export interface Command {
  /**
   * Unique id chosen by the Nucleus; results, progress and parts carry it back.
   */
  'id'?: (string);
  /**
   * When the command must have finished, Unix milliseconds (Nucleus clock); 0 means no deadline.
   */
  'deadlineUnixMs'?: (number | string | Long);
  /**
   * List a directory tree.
   */
  'scanDirectory'?: (_orbit_v1_ScanDirectory | null);
  /**
   * Read the first bytes of a file (format sniffing, headers).
   */
  'readHeader'?: (_orbit_v1_ReadHeader | null);
  /**
   * Hash a byte range of a file.
   */
  'hashRange'?: (_orbit_v1_HashRange | null);
  /**
   * Split a file into content-defined chunks and hash each.
   */
  'chunkFile'?: (_orbit_v1_ChunkFile | null);
  /**
   * Get ready to receive files for a job over the data plane.
   */
  'prepareReceive'?: (_orbit_v1_PrepareReceive | null);
  /**
   * Send chunks of a file to a peer Star over the data plane.
   */
  'pushChunks'?: (_orbit_v1_PushChunks | null);
  /**
   * Hash a file and compare it with an expected digest.
   */
  'verify'?: (_orbit_v1_Verify | null);
  /**
   * Finish running commands, accept no new ones.
   */
  'drain'?: (_orbit_v1_Drain | null);
  /**
   * Stop a running command.
   */
  'cancel'?: (_orbit_v1_Cancel | null);
  /**
   * Remove entries under a job's destination that its source no longer has (mirror with delete).
   */
  'removePaths'?: (_orbit_v1_RemovePaths | null);
  /**
   * Record an archive job's directories and symlinks and write the run's snapshot.
   */
  'finishArchive'?: (_orbit_v1_FinishArchive | null);
  /**
   * Create a job's directories and symlinks at the destination (mirror), then set folder metadata.
   */
  'placeEntries'?: (_orbit_v1_PlaceEntries | null);
  /**
   * Exactly one of these is set.
   */
  'kind'?: "scanDirectory"|"readHeader"|"hashRange"|"chunkFile"|"prepareReceive"|"pushChunks"|"verify"|"drain"|"cancel"|"removePaths"|"finishArchive"|"placeEntries";
}

/**
 * One unit of work for a Star.
 */
export interface Command__Output {
  /**
   * Unique id chosen by the Nucleus; results, progress and parts carry it back.
   */
  'id': (string);
  /**
   * When the command must have finished, Unix milliseconds (Nucleus clock); 0 means no deadline.
   */
  'deadlineUnixMs': (number);
  /**
   * List a directory tree.
   */
  'scanDirectory'?: (_orbit_v1_ScanDirectory__Output | null);
  /**
   * Read the first bytes of a file (format sniffing, headers).
   */
  'readHeader'?: (_orbit_v1_ReadHeader__Output | null);
  /**
   * Hash a byte range of a file.
   */
  'hashRange'?: (_orbit_v1_HashRange__Output | null);
  /**
   * Split a file into content-defined chunks and hash each.
   */
  'chunkFile'?: (_orbit_v1_ChunkFile__Output | null);
  /**
   * Get ready to receive files for a job over the data plane.
   */
  'prepareReceive'?: (_orbit_v1_PrepareReceive__Output | null);
  /**
   * Send chunks of a file to a peer Star over the data plane.
   */
  'pushChunks'?: (_orbit_v1_PushChunks__Output | null);
  /**
   * Hash a file and compare it with an expected digest.
   */
  'verify'?: (_orbit_v1_Verify__Output | null);
  /**
   * Finish running commands, accept no new ones.
   */
  'drain'?: (_orbit_v1_Drain__Output | null);
  /**
   * Stop a running command.
   */
  'cancel'?: (_orbit_v1_Cancel__Output | null);
  /**
   * Remove entries under a job's destination that its source no longer has (mirror with delete).
   */
  'removePaths'?: (_orbit_v1_RemovePaths__Output | null);
  /**
   * Record an archive job's directories and symlinks and write the run's snapshot.
   */
  'finishArchive'?: (_orbit_v1_FinishArchive__Output | null);
  /**
   * Create a job's directories and symlinks at the destination (mirror), then set folder metadata.
   */
  'placeEntries'?: (_orbit_v1_PlaceEntries__Output | null);
  /**
   * Exactly one of these is set.
   */
  'kind'?: "scanDirectory"|"readHeader"|"hashRange"|"chunkFile"|"prepareReceive"|"pushChunks"|"verify"|"drain"|"cancel"|"removePaths"|"finishArchive"|"placeEntries";
}
