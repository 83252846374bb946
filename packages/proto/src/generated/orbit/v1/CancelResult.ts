// Original file: proto/orbit/v1/orbit.proto


/**
 * Cancel's answer.
 */
export interface CancelResult {
  /**
   * True when the command was running and has been stopped; false when it had already finished.
   */
  'wasRunning'?: (boolean);
}

/**
 * Cancel's answer.
 */
export interface CancelResult__Output {
  /**
   * True when the command was running and has been stopped; false when it had already finished.
   */
  'wasRunning': (boolean);
}
