// Original file: proto/orbit/v1/orbit.proto

import type { FileRef as _orbit_v1_FileRef, FileRef__Output as _orbit_v1_FileRef__Output } from '../../orbit/v1/FileRef.ts';
import type { Chunk as _orbit_v1_Chunk, Chunk__Output as _orbit_v1_Chunk__Output } from '../../orbit/v1/Chunk.ts';
import type { HashAlgorithm as _orbit_v1_HashAlgorithm, HashAlgorithm__Output as _orbit_v1_HashAlgorithm__Output } from '../../orbit/v1/HashAlgorithm.ts';

/**
 * Send chunks of a file to a peer Star over the data plane. Chunks the peer already has are skipped.
 */
export interface PushChunks {
  /**
   * The receiving Star's data-plane address, host:port.
   */
  'peerAddress'?: (string);
  /**
   * SHA-256 fingerprint (lowercase hex of the DER) of the receiving Star's certificate, to pin.
   */
  'peerCertFingerprint'?: (string);
  /**
   * Data-plane ticket (direction "send") to present to the peer; signed by the Nucleus.
   */
  'ticket'?: (string);
  /**
   * The file to send.
   */
  'file'?: (_orbit_v1_FileRef | null);
  /**
   * The chunks to send, in file order (a subset of the file's chunk list when resuming).
   */
  'chunks'?: (_orbit_v1_Chunk)[];
  /**
   * Digest used for the chunk hashes.
   */
  'algorithm'?: (_orbit_v1_HashAlgorithm);
}

/**
 * Send chunks of a file to a peer Star over the data plane. Chunks the peer already has are skipped.
 */
export interface PushChunks__Output {
  /**
   * The receiving Star's data-plane address, host:port.
   */
  'peerAddress': (string);
  /**
   * SHA-256 fingerprint (lowercase hex of the DER) of the receiving Star's certificate, to pin.
   */
  'peerCertFingerprint': (string);
  /**
   * Data-plane ticket (direction "send") to present to the peer; signed by the Nucleus.
   */
  'ticket': (string);
  /**
   * The file to send.
   */
  'file': (_orbit_v1_FileRef__Output | null);
  /**
   * The chunks to send, in file order (a subset of the file's chunk list when resuming).
   */
  'chunks': (_orbit_v1_Chunk__Output)[];
  /**
   * Digest used for the chunk hashes.
   */
  'algorithm': (_orbit_v1_HashAlgorithm__Output);
}
