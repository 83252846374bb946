// Original file: proto/orbit/v1/orbit.proto

import type { HashAlgorithm as _orbit_v1_HashAlgorithm, HashAlgorithm__Output as _orbit_v1_HashAlgorithm__Output } from '../../orbit/v1/HashAlgorithm.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * How a destination Star stores an archive job's chunks.
 */
export interface ArchiveReceive {
  /**
   * Digest that addresses chunks; fixed when the store is created, must match an existing store's.
   */
  'algorithm'?: (_orbit_v1_HashAlgorithm);
  /**
   * Largest container before the store rotates to a new one, bytes; 0 means the engine's default.
   */
  'packSize'?: (number | string | Long);
  /**
   * The job's name: its latest snapshot in the store tells which expected files are unchanged.
   */
  'jobName'?: (string);
}

/**
 * How a destination Star stores an archive job's chunks.
 */
export interface ArchiveReceive__Output {
  /**
   * Digest that addresses chunks; fixed when the store is created, must match an existing store's.
   */
  'algorithm': (_orbit_v1_HashAlgorithm__Output);
  /**
   * Largest container before the store rotates to a new one, bytes; 0 means the engine's default.
   */
  'packSize': (number);
  /**
   * The job's name: its latest snapshot in the store tells which expected files are unchanged.
   */
  'jobName': (string);
}
