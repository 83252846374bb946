// Original file: proto/orbit/v1/orbit.proto

import type { PushedFile as _orbit_v1_PushedFile, PushedFile__Output as _orbit_v1_PushedFile__Output } from '../../orbit/v1/PushedFile.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * PushChunks' summary: the sender's counters and one outcome per requested file.
 */
export interface PushChunksResult {
  /**
   * Chunks sent over the wire.
   */
  'chunksSent'?: (number);
  /**
   * Chunks the peer already had (old file, resumed temp file, repeats within a file).
   */
  'chunksSkipped'?: (number);
  /**
   * Frame bytes written to the data plane (after compression, headers included).
   */
  'bytesSent'?: (number | string | Long);
  /**
   * Source bytes read (chunking pass plus chunks read again to send).
   */
  'bytesRead'?: (number | string | Long);
  /**
   * Raw bytes of the chunks sent: data the peer did not have.
   */
  'newBytes'?: (number | string | Long);
  /**
   * Files written at the peer.
   */
  'filesSent'?: (number);
  /**
   * Files the peer already held unchanged.
   */
  'filesUnchanged'?: (number);
  /**
   * Files that failed (see `files`).
   */
  'filesFailed'?: (number);
  /**
   * Data-plane connections used (more than one after a drop).
   */
  'connections'?: (number);
  /**
   * One outcome per requested file, in request order.
   */
  'files'?: (_orbit_v1_PushedFile)[];
  /**
   * Source bytes cut with FastCDC.
   */
  'cutBytes'?: (number | string | Long);
  /**
   * Source bytes only hashed along the chunk list the peer held of its copy, not cut.
   */
  'guidedBytes'?: (number | string | Long);
}

/**
 * PushChunks' summary: the sender's counters and one outcome per requested file.
 */
export interface PushChunksResult__Output {
  /**
   * Chunks sent over the wire.
   */
  'chunksSent': (number);
  /**
   * Chunks the peer already had (old file, resumed temp file, repeats within a file).
   */
  'chunksSkipped': (number);
  /**
   * Frame bytes written to the data plane (after compression, headers included).
   */
  'bytesSent': (number);
  /**
   * Source bytes read (chunking pass plus chunks read again to send).
   */
  'bytesRead': (number);
  /**
   * Raw bytes of the chunks sent: data the peer did not have.
   */
  'newBytes': (number);
  /**
   * Files written at the peer.
   */
  'filesSent': (number);
  /**
   * Files the peer already held unchanged.
   */
  'filesUnchanged': (number);
  /**
   * Files that failed (see `files`).
   */
  'filesFailed': (number);
  /**
   * Data-plane connections used (more than one after a drop).
   */
  'connections': (number);
  /**
   * One outcome per requested file, in request order.
   */
  'files': (_orbit_v1_PushedFile__Output)[];
  /**
   * Source bytes cut with FastCDC.
   */
  'cutBytes': (number);
  /**
   * Source bytes only hashed along the chunk list the peer held of its copy, not cut.
   */
  'guidedBytes': (number);
}
