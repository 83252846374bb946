// Original file: proto/orbit/v1/orbit.proto

import type { PushedFile as _orbit_v1_PushedFile, PushedFile__Output as _orbit_v1_PushedFile__Output } from '../../orbit/v1/PushedFile.ts';

/**
 * PrepareReceive's answer.
 */
export interface PrepareReceiveResult {
  /**
   * Where the sending Star should connect, host:port (the Star's advertised data-plane address).
   */
  'dataAddress'?: (string);
  /**
   * SHA-256 fingerprint of the certificate the data plane presents, lowercase hex, to pin.
   */
  'certFingerprint'?: (string);
  /**
   * Archive, `add_files`: expected files the job's latest snapshot holds with the same size and
   * mtime and every chunk stored, recorded for this run without being read (status "unchanged",
   * the snapshot's hash); the source need not push them.
   */
  'unchanged'?: (_orbit_v1_PushedFile)[];
}

/**
 * PrepareReceive's answer.
 */
export interface PrepareReceiveResult__Output {
  /**
   * Where the sending Star should connect, host:port (the Star's advertised data-plane address).
   */
  'dataAddress': (string);
  /**
   * SHA-256 fingerprint of the certificate the data plane presents, lowercase hex, to pin.
   */
  'certFingerprint': (string);
  /**
   * Archive, `add_files`: expected files the job's latest snapshot holds with the same size and
   * mtime and every chunk stored, recorded for this run without being read (status "unchanged",
   * the snapshot's hash); the source need not push them.
   */
  'unchanged': (_orbit_v1_PushedFile__Output)[];
}
