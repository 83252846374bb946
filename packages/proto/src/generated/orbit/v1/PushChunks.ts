// Original file: proto/orbit/v1/orbit.proto

import type { HashAlgorithm as _orbit_v1_HashAlgorithm, HashAlgorithm__Output as _orbit_v1_HashAlgorithm__Output } from '../../orbit/v1/HashAlgorithm.ts';
import type { ChunkingParams as _orbit_v1_ChunkingParams, ChunkingParams__Output as _orbit_v1_ChunkingParams__Output } from '../../orbit/v1/ChunkingParams.ts';

/**
 * Send a set of files to a peer Star over the data plane (PROTOCOL.md in apps/star/src/data-plane).
 * Only the chunks the peer lacks travel; a dropped connection resumes from the peer's journal.
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
   * Data-plane ticket (direction "send") to present to the peer; signed by the Nucleus. When it
   * expires before a reconnect the Star asks for a new one with a TicketRequest.
   */
  'ticket'?: (string);
  /**
   * Digest used for chunk and file hashes.
   */
  'algorithm'?: (_orbit_v1_HashAlgorithm);
  /**
   * The job the files belong to (for logs and the Star's transfer count).
   */
  'jobId'?: (string);
  /**
   * Absolute directory on the sending Star the file paths are relative to; inside an allowed root.
   */
  'sourceRoot'?: (string);
  /**
   * Paths relative to `source_root`, `/`-separated, no `..`; each lands at the same relative path
   * under the ticket's destination.
   */
  'files'?: (string)[];
  /**
   * Chunk size bounds; unset means the engine's defaults.
   */
  'chunking'?: (_orbit_v1_ChunkingParams | null);
  /**
   * Compression on the wire: "none", "zstd" or "zstd:<level>"; empty means none.
   */
  'compression'?: (string);
}

/**
 * Send a set of files to a peer Star over the data plane (PROTOCOL.md in apps/star/src/data-plane).
 * Only the chunks the peer lacks travel; a dropped connection resumes from the peer's journal.
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
   * Data-plane ticket (direction "send") to present to the peer; signed by the Nucleus. When it
   * expires before a reconnect the Star asks for a new one with a TicketRequest.
   */
  'ticket': (string);
  /**
   * Digest used for chunk and file hashes.
   */
  'algorithm': (_orbit_v1_HashAlgorithm__Output);
  /**
   * The job the files belong to (for logs and the Star's transfer count).
   */
  'jobId': (string);
  /**
   * Absolute directory on the sending Star the file paths are relative to; inside an allowed root.
   */
  'sourceRoot': (string);
  /**
   * Paths relative to `source_root`, `/`-separated, no `..`; each lands at the same relative path
   * under the ticket's destination.
   */
  'files': (string)[];
  /**
   * Chunk size bounds; unset means the engine's defaults.
   */
  'chunking': (_orbit_v1_ChunkingParams__Output | null);
  /**
   * Compression on the wire: "none", "zstd" or "zstd:<level>"; empty means none.
   */
  'compression': (string);
}
