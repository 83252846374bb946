// Original file: proto/orbit/v1/orbit.proto

import type { Chunk as _orbit_v1_Chunk, Chunk__Output as _orbit_v1_Chunk__Output } from '../../orbit/v1/Chunk.ts';

/**
 * A batch of content-defined chunks of one file, in file order.
 */
export interface ChunkList {
  /**
   * The file these chunks belong to (as given in the command).
   */
  'path'?: (string);
  /**
   * The chunks in this batch.
   */
  'chunks'?: (_orbit_v1_Chunk)[];
}

/**
 * A batch of content-defined chunks of one file, in file order.
 */
export interface ChunkList__Output {
  /**
   * The file these chunks belong to (as given in the command).
   */
  'path': (string);
  /**
   * The chunks in this batch.
   */
  'chunks': (_orbit_v1_Chunk__Output)[];
}
