// Original file: proto/orbit/v1/orbit.proto


/**
 * Stop a running command; it ends with a CANCELLED error result.
 */
export interface Cancel {
  /**
   * The id of the command to stop.
   */
  'commandId'?: (string);
}

/**
 * Stop a running command; it ends with a CANCELLED error result.
 */
export interface Cancel__Output {
  /**
   * The id of the command to stop.
   */
  'commandId': (string);
}
