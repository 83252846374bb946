// Original file: proto/orbit/v1/orbit.proto


/**
 * Verify's answer.
 */
export interface VerifyResult {
  /**
   * True when the digest matches `expected_hash`.
   */
  'match'?: (boolean);
  /**
   * The digest computed, lowercase hex.
   */
  'actualHash'?: (string);
}

/**
 * Verify's answer.
 */
export interface VerifyResult__Output {
  /**
   * True when the digest matches `expected_hash`.
   */
  'match': (boolean);
  /**
   * The digest computed, lowercase hex.
   */
  'actualHash': (string);
}
