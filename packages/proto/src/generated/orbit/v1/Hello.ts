// Original file: proto/orbit/v1/orbit.proto


/**
 * The Star introduces itself on a new stream.
 */
export interface Hello {
  /**
   * The Star's id; must match the id in its client certificate or the Nucleus closes the stream.
   */
  'starId'?: (string);
  /**
   * The Star's software version (semver).
   */
  'version'?: (string);
  /**
   * Ids of commands that were in flight when the previous stream dropped and that the Star is still
   * running or holds unacknowledged results for; the Nucleus re-attaches to them instead of resending.
   */
  'resumeCommandIds'?: (string)[];
  /**
   * Optional features this Star supports, e.g. "zstd", "blake3", "data-plane-tls".
   */
  'capabilities'?: (string)[];
}

/**
 * The Star introduces itself on a new stream.
 */
export interface Hello__Output {
  /**
   * The Star's id; must match the id in its client certificate or the Nucleus closes the stream.
   */
  'starId': (string);
  /**
   * The Star's software version (semver).
   */
  'version': (string);
  /**
   * Ids of commands that were in flight when the previous stream dropped and that the Star is still
   * running or holds unacknowledged results for; the Nucleus re-attaches to them instead of resending.
   */
  'resumeCommandIds': (string)[];
  /**
   * Optional features this Star supports, e.g. "zstd", "blake3", "data-plane-tls".
   */
  'capabilities': (string)[];
}
