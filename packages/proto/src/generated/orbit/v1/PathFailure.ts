// Original file: proto/orbit/v1/orbit.proto


/**
 * A path a command could not handle, and why.
 */
export interface PathFailure {
  /**
   * The path, relative to the command's directory.
   */
  'path'?: (string);
  /**
   * What went wrong, one sentence.
   */
  'message'?: (string);
}

/**
 * A path a command could not handle, and why.
 */
export interface PathFailure__Output {
  /**
   * The path, relative to the command's directory.
   */
  'path': (string);
  /**
   * What went wrong, one sentence.
   */
  'message': (string);
}
