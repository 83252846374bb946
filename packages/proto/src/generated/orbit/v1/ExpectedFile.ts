// Original file: proto/orbit/v1/orbit.proto

import type { HashAlgorithm as _orbit_v1_HashAlgorithm, HashAlgorithm__Output as _orbit_v1_HashAlgorithm__Output } from '../../orbit/v1/HashAlgorithm.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One file a receiving Star should expect.
 */
export interface ExpectedFile {
  /**
   * Path relative to the receive's destination directory, `/`-separated, no `..`.
   */
  'path'?: (string);
  /**
   * Final size, bytes.
   */
  'size'?: (number | string | Long);
  /**
   * Digest of the whole file in `algorithm`, lowercase hex; verified before the file is renamed into place.
   */
  'hash'?: (string);
  /**
   * Digest used for `hash`.
   */
  'algorithm'?: (_orbit_v1_HashAlgorithm);
  /**
   * POSIX permission bits to set.
   */
  'mode'?: (number);
  /**
   * Modification time to set, Unix milliseconds.
   */
  'mtimeUnixMs'?: (number | string | Long);
}

/**
 * One file a receiving Star should expect.
 */
export interface ExpectedFile__Output {
  /**
   * Path relative to the receive's destination directory, `/`-separated, no `..`.
   */
  'path': (string);
  /**
   * Final size, bytes.
   */
  'size': (number);
  /**
   * Digest of the whole file in `algorithm`, lowercase hex; verified before the file is renamed into place.
   */
  'hash': (string);
  /**
   * Digest used for `hash`.
   */
  'algorithm': (_orbit_v1_HashAlgorithm__Output);
  /**
   * POSIX permission bits to set.
   */
  'mode': (number);
  /**
   * Modification time to set, Unix milliseconds.
   */
  'mtimeUnixMs': (number);
}
