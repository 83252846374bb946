// Original file: proto/orbit/v1/orbit.proto

import type { CommandError as _orbit_v1_CommandError, CommandError__Output as _orbit_v1_CommandError__Output } from '../../orbit/v1/CommandError.ts';
import type { ScanDirectoryResult as _orbit_v1_ScanDirectoryResult, ScanDirectoryResult__Output as _orbit_v1_ScanDirectoryResult__Output } from '../../orbit/v1/ScanDirectoryResult.ts';
import type { ReadHeaderResult as _orbit_v1_ReadHeaderResult, ReadHeaderResult__Output as _orbit_v1_ReadHeaderResult__Output } from '../../orbit/v1/ReadHeaderResult.ts';
import type { HashRangeResult as _orbit_v1_HashRangeResult, HashRangeResult__Output as _orbit_v1_HashRangeResult__Output } from '../../orbit/v1/HashRangeResult.ts';
import type { ChunkFileResult as _orbit_v1_ChunkFileResult, ChunkFileResult__Output as _orbit_v1_ChunkFileResult__Output } from '../../orbit/v1/ChunkFileResult.ts';
import type { PrepareReceiveResult as _orbit_v1_PrepareReceiveResult, PrepareReceiveResult__Output as _orbit_v1_PrepareReceiveResult__Output } from '../../orbit/v1/PrepareReceiveResult.ts';
import type { PushChunksResult as _orbit_v1_PushChunksResult, PushChunksResult__Output as _orbit_v1_PushChunksResult__Output } from '../../orbit/v1/PushChunksResult.ts';
import type { VerifyResult as _orbit_v1_VerifyResult, VerifyResult__Output as _orbit_v1_VerifyResult__Output } from '../../orbit/v1/VerifyResult.ts';
import type { DrainResult as _orbit_v1_DrainResult, DrainResult__Output as _orbit_v1_DrainResult__Output } from '../../orbit/v1/DrainResult.ts';
import type { CancelResult as _orbit_v1_CancelResult, CancelResult__Output as _orbit_v1_CancelResult__Output } from '../../orbit/v1/CancelResult.ts';
import type { RemovePathsResult as _orbit_v1_RemovePathsResult, RemovePathsResult__Output as _orbit_v1_RemovePathsResult__Output } from '../../orbit/v1/RemovePathsResult.ts';
import type { FinishArchiveResult as _orbit_v1_FinishArchiveResult, FinishArchiveResult__Output as _orbit_v1_FinishArchiveResult__Output } from '../../orbit/v1/FinishArchiveResult.ts';
import type { PlaceEntriesResult as _orbit_v1_PlaceEntriesResult, PlaceEntriesResult__Output as _orbit_v1_PlaceEntriesResult__Output } from '../../orbit/v1/PlaceEntriesResult.ts';

/**
 * The final outcome of one command.
 */
export interface CommandResult {
  /**
   * The id of the Command this answers.
   */
  'commandId'?: (string);
  /**
   * The command failed.
   */
  'error'?: (_orbit_v1_CommandError | null);
  /**
   * ScanDirectory finished; the entries came in ResultPart messages.
   */
  'scanDirectory'?: (_orbit_v1_ScanDirectoryResult | null);
  /**
   * ReadHeader finished.
   */
  'readHeader'?: (_orbit_v1_ReadHeaderResult | null);
  /**
   * HashRange finished.
   */
  'hashRange'?: (_orbit_v1_HashRangeResult | null);
  /**
   * ChunkFile finished; the chunks came in ResultPart messages.
   */
  'chunkFile'?: (_orbit_v1_ChunkFileResult | null);
  /**
   * PrepareReceive finished: the Star is ready to accept data-plane connections for the job.
   */
  'prepareReceive'?: (_orbit_v1_PrepareReceiveResult | null);
  /**
   * PushChunks finished: the peer acknowledged every chunk.
   */
  'pushChunks'?: (_orbit_v1_PushChunksResult | null);
  /**
   * Verify finished (a mismatch is a result, not an error).
   */
  'verify'?: (_orbit_v1_VerifyResult | null);
  /**
   * Drain finished: no commands are running.
   */
  'drain'?: (_orbit_v1_DrainResult | null);
  /**
   * Cancel finished.
   */
  'cancel'?: (_orbit_v1_CancelResult | null);
  /**
   * RemovePaths finished; entries that could not be removed are listed, not an error.
   */
  'removePaths'?: (_orbit_v1_RemovePathsResult | null);
  /**
   * FinishArchive finished: the batch is recorded and, on the last one, the snapshot written.
   */
  'finishArchive'?: (_orbit_v1_FinishArchiveResult | null);
  /**
   * PlaceEntries finished; entries that could not be placed are listed, not an error.
   */
  'placeEntries'?: (_orbit_v1_PlaceEntriesResult | null);
  /**
   * Exactly one of these is set: `error`, or the result matching the command's kind.
   */
  'outcome'?: "error"|"scanDirectory"|"readHeader"|"hashRange"|"chunkFile"|"prepareReceive"|"pushChunks"|"verify"|"drain"|"cancel"|"removePaths"|"finishArchive"|"placeEntries";
}

/**
 * The final outcome of one command.
 */
export interface CommandResult__Output {
  /**
   * The id of the Command this answers.
   */
  'commandId': (string);
  /**
   * The command failed.
   */
  'error'?: (_orbit_v1_CommandError__Output | null);
  /**
   * ScanDirectory finished; the entries came in ResultPart messages.
   */
  'scanDirectory'?: (_orbit_v1_ScanDirectoryResult__Output | null);
  /**
   * ReadHeader finished.
   */
  'readHeader'?: (_orbit_v1_ReadHeaderResult__Output | null);
  /**
   * HashRange finished.
   */
  'hashRange'?: (_orbit_v1_HashRangeResult__Output | null);
  /**
   * ChunkFile finished; the chunks came in ResultPart messages.
   */
  'chunkFile'?: (_orbit_v1_ChunkFileResult__Output | null);
  /**
   * PrepareReceive finished: the Star is ready to accept data-plane connections for the job.
   */
  'prepareReceive'?: (_orbit_v1_PrepareReceiveResult__Output | null);
  /**
   * PushChunks finished: the peer acknowledged every chunk.
   */
  'pushChunks'?: (_orbit_v1_PushChunksResult__Output | null);
  /**
   * Verify finished (a mismatch is a result, not an error).
   */
  'verify'?: (_orbit_v1_VerifyResult__Output | null);
  /**
   * Drain finished: no commands are running.
   */
  'drain'?: (_orbit_v1_DrainResult__Output | null);
  /**
   * Cancel finished.
   */
  'cancel'?: (_orbit_v1_CancelResult__Output | null);
  /**
   * RemovePaths finished; entries that could not be removed are listed, not an error.
   */
  'removePaths'?: (_orbit_v1_RemovePathsResult__Output | null);
  /**
   * FinishArchive finished: the batch is recorded and, on the last one, the snapshot written.
   */
  'finishArchive'?: (_orbit_v1_FinishArchiveResult__Output | null);
  /**
   * PlaceEntries finished; entries that could not be placed are listed, not an error.
   */
  'placeEntries'?: (_orbit_v1_PlaceEntriesResult__Output | null);
  /**
   * Exactly one of these is set: `error`, or the result matching the command's kind.
   */
  'outcome'?: "error"|"scanDirectory"|"readHeader"|"hashRange"|"chunkFile"|"prepareReceive"|"pushChunks"|"verify"|"drain"|"cancel"|"removePaths"|"finishArchive"|"placeEntries";
}
