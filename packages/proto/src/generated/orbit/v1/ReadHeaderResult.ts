// Original file: proto/orbit/v1/orbit.proto


/**
 * ReadHeader's bytes.
 */
export interface ReadHeaderResult {
  /**
   * The bytes read; shorter than asked when the file ends first.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * True when the read reached the end of the file.
   */
  'eof'?: (boolean);
}

/**
 * ReadHeader's bytes.
 */
export interface ReadHeaderResult__Output {
  /**
   * The bytes read; shorter than asked when the file ends first.
   */
  'data': (Buffer);
  /**
   * True when the read reached the end of the file.
   */
  'eof': (boolean);
}
