// Original file: proto/orbit/v1/orbit.proto

import type { RootSpace as _orbit_v1_RootSpace, RootSpace__Output as _orbit_v1_RootSpace__Output } from '../../orbit/v1/RootSpace.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Periodic health report.
 */
export interface Heartbeat {
  /**
   * CPU use of the whole machine over the last interval, 0–100 per core summed (200 = two busy cores).
   */
  'cpuPercent'?: (number | string);
  /**
   * Number of logical CPU cores.
   */
  'cpuCores'?: (number);
  /**
   * Memory in use on the machine, bytes.
   */
  'memoryUsedBytes'?: (number | string | Long);
  /**
   * Total memory of the machine, bytes.
   */
  'memoryTotalBytes'?: (number | string | Long);
  /**
   * Space on each allowed root, in the order of the Star's configuration.
   */
  'roots'?: (_orbit_v1_RootSpace)[];
  /**
   * Data-plane transfers currently running (sending or receiving).
   */
  'activeTransfers'?: (number);
  /**
   * The Star's software version, repeated so upgrades show without a reconnect.
   */
  'version'?: (string);
  /**
   * When the Star sent this heartbeat (Star clock), Unix milliseconds.
   */
  'sentAtUnixMs'?: (number | string | Long);
}

/**
 * Periodic health report.
 */
export interface Heartbeat__Output {
  /**
   * CPU use of the whole machine over the last interval, 0–100 per core summed (200 = two busy cores).
   */
  'cpuPercent': (number);
  /**
   * Number of logical CPU cores.
   */
  'cpuCores': (number);
  /**
   * Memory in use on the machine, bytes.
   */
  'memoryUsedBytes': (number);
  /**
   * Total memory of the machine, bytes.
   */
  'memoryTotalBytes': (number);
  /**
   * Space on each allowed root, in the order of the Star's configuration.
   */
  'roots': (_orbit_v1_RootSpace__Output)[];
  /**
   * Data-plane transfers currently running (sending or receiving).
   */
  'activeTransfers': (number);
  /**
   * The Star's software version, repeated so upgrades show without a reconnect.
   */
  'version': (string);
  /**
   * When the Star sent this heartbeat (Star clock), Unix milliseconds.
   */
  'sentAtUnixMs': (number);
}
