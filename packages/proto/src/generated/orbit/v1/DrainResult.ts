// Original file: proto/orbit/v1/orbit.proto


/**
 * Drain's answer.
 */
export interface DrainResult {
  /**
   * Commands that were still running when Drain arrived and have since finished.
   */
  'finishedCommands'?: (number);
}

/**
 * Drain's answer.
 */
export interface DrainResult__Output {
  /**
   * Commands that were still running when Drain arrived and have since finished.
   */
  'finishedCommands': (number);
}
