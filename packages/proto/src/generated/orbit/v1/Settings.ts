// Original file: proto/orbit/v1/orbit.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Session settings from the Nucleus.
 */
export interface Settings {
  /**
   * How often to send a Heartbeat, milliseconds.
   */
  'heartbeatIntervalMs'?: (number);
  /**
   * The most data-plane transfers to run at once; 0 keeps the Star's configured limit.
   */
  'maxConcurrentTransfers'?: (number);
  /**
   * Data-plane bandwidth cap, bytes per second; 0 keeps the Star's configured limit.
   */
  'bandwidthLimitBytesPerSecond'?: (number | string | Long);
  /**
   * Target size of one ResultPart, bytes; always well under 4 MiB.
   */
  'resultPartMaxBytes'?: (number);
}

/**
 * Session settings from the Nucleus.
 */
export interface Settings__Output {
  /**
   * How often to send a Heartbeat, milliseconds.
   */
  'heartbeatIntervalMs': (number);
  /**
   * The most data-plane transfers to run at once; 0 keeps the Star's configured limit.
   */
  'maxConcurrentTransfers': (number);
  /**
   * Data-plane bandwidth cap, bytes per second; 0 keeps the Star's configured limit.
   */
  'bandwidthLimitBytesPerSecond': (number);
  /**
   * Target size of one ResultPart, bytes; always well under 4 MiB.
   */
  'resultPartMaxBytes': (number);
}
