// Original file: proto/orbit/v1/orbit.proto

import type { ScanEntries as _orbit_v1_ScanEntries, ScanEntries__Output as _orbit_v1_ScanEntries__Output } from '../../orbit/v1/ScanEntries.ts';
import type { ChunkList as _orbit_v1_ChunkList, ChunkList__Output as _orbit_v1_ChunkList__Output } from '../../orbit/v1/ChunkList.ts';

/**
 * One part of a command's streamed output. Parts arrive in order; the last one has `last` set and
 * is followed by the command's CommandResult.
 */
export interface ResultPart {
  /**
   * The command this part belongs to.
   */
  'commandId'?: (string);
  /**
   * 0 for the first part, then 1, 2, …; lets the Nucleus detect gaps and resume after a reconnect.
   */
  'sequence'?: (number);
  /**
   * True on the final part of this command's output.
   */
  'last'?: (boolean);
  /**
   * A batch of entries from ScanDirectory.
   */
  'scanEntries'?: (_orbit_v1_ScanEntries | null);
  /**
   * A batch of chunks from ChunkFile.
   */
  'chunkList'?: (_orbit_v1_ChunkList | null);
  /**
   * Exactly one of these is set, matching the command's kind.
   */
  'part'?: "scanEntries"|"chunkList";
}

/**
 * One part of a command's streamed output. Parts arrive in order; the last one has `last` set and
 * is followed by the command's CommandResult.
 */
export interface ResultPart__Output {
  /**
   * The command this part belongs to.
   */
  'commandId': (string);
  /**
   * 0 for the first part, then 1, 2, …; lets the Nucleus detect gaps and resume after a reconnect.
   */
  'sequence': (number);
  /**
   * True on the final part of this command's output.
   */
  'last': (boolean);
  /**
   * A batch of entries from ScanDirectory.
   */
  'scanEntries'?: (_orbit_v1_ScanEntries__Output | null);
  /**
   * A batch of chunks from ChunkFile.
   */
  'chunkList'?: (_orbit_v1_ChunkList__Output | null);
  /**
   * Exactly one of these is set, matching the command's kind.
   */
  'part'?: "scanEntries"|"chunkList";
}
