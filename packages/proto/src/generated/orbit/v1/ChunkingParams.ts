// Original file: proto/orbit/v1/orbit.proto


/**
 * FastCDC parameters; the Star refuses values the engine's validateChunking refuses.
 */
export interface ChunkingParams {
  /**
   * Smallest chunk, bytes.
   */
  'minSize'?: (number);
  /**
   * Target average chunk, bytes; a power of two.
   */
  'avgSize'?: (number);
  /**
   * Largest chunk, bytes.
   */
  'maxSize'?: (number);
}

/**
 * FastCDC parameters; the Star refuses values the engine's validateChunking refuses.
 */
export interface ChunkingParams__Output {
  /**
   * Smallest chunk, bytes.
   */
  'minSize': (number);
  /**
   * Target average chunk, bytes; a power of two.
   */
  'avgSize': (number);
  /**
   * Largest chunk, bytes.
   */
  'maxSize': (number);
}
