// Original file: proto/orbit/v1/orbit.proto


/**
 * The renewed certificate.
 */
export interface RenewResponse {
  /**
   * The Star's new certificate followed by any intermediates, PEM.
   */
  'certificateChainPem'?: (string);
  /**
   * The grid CA certificate, PEM (changes only when the grid CA rotates).
   */
  'caCertificatePem'?: (string);
}

/**
 * The renewed certificate.
 */
export interface RenewResponse__Output {
  /**
   * The Star's new certificate followed by any intermediates, PEM.
   */
  'certificateChainPem': (string);
  /**
   * The grid CA certificate, PEM (changes only when the grid CA rotates).
   */
  'caCertificatePem': (string);
}
