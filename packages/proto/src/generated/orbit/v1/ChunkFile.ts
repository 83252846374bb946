// Original file: proto/orbit/v1/orbit.proto

import type { ChunkingParams as _orbit_v1_ChunkingParams, ChunkingParams__Output as _orbit_v1_ChunkingParams__Output } from '../../orbit/v1/ChunkingParams.ts';
import type { HashAlgorithm as _orbit_v1_HashAlgorithm, HashAlgorithm__Output as _orbit_v1_HashAlgorithm__Output } from '../../orbit/v1/HashAlgorithm.ts';

/**
 * Chunk a file. Chunks stream as ChunkList parts.
 */
export interface ChunkFile {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path'?: (string);
  /**
   * Chunk size bounds.
   */
  'chunking'?: (_orbit_v1_ChunkingParams | null);
  /**
   * Digest for each chunk and for the whole file.
   */
  'algorithm'?: (_orbit_v1_HashAlgorithm);
}

/**
 * Chunk a file. Chunks stream as ChunkList parts.
 */
export interface ChunkFile__Output {
  /**
   * Absolute path of the file; must be inside an allowed root.
   */
  'path': (string);
  /**
   * Chunk size bounds.
   */
  'chunking': (_orbit_v1_ChunkingParams__Output | null);
  /**
   * Digest for each chunk and for the whole file.
   */
  'algorithm': (_orbit_v1_HashAlgorithm__Output);
}
