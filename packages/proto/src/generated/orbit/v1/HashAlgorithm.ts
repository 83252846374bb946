// Original file: proto/orbit/v1/orbit.proto

/**
 * The digest used for hashes in commands and results.
 */
export const HashAlgorithm = {
  /**
   * Not set; the Star refuses the command with INVALID_ARGUMENT.
   */
  HASH_ALGORITHM_UNSPECIFIED: 'HASH_ALGORITHM_UNSPECIFIED',
  /**
   * BLAKE3, 256-bit output, lowercase hex.
   */
  HASH_ALGORITHM_BLAKE3: 'HASH_ALGORITHM_BLAKE3',
  /**
   * SHA-256, lowercase hex.
   */
  HASH_ALGORITHM_SHA256: 'HASH_ALGORITHM_SHA256',
} as const;

/**
 * The digest used for hashes in commands and results.
 */
export type HashAlgorithm =
  /**
   * Not set; the Star refuses the command with INVALID_ARGUMENT.
   */
  | 'HASH_ALGORITHM_UNSPECIFIED'
  | 0
  /**
   * BLAKE3, 256-bit output, lowercase hex.
   */
  | 'HASH_ALGORITHM_BLAKE3'
  | 1
  /**
   * SHA-256, lowercase hex.
   */
  | 'HASH_ALGORITHM_SHA256'
  | 2

/**
 * The digest used for hashes in commands and results.
 */
export type HashAlgorithm__Output = typeof HashAlgorithm[keyof typeof HashAlgorithm]
