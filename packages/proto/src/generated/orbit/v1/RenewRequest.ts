// Original file: proto/orbit/v1/orbit.proto


/**
 * A connected Star asks for a fresh certificate.
 */
export interface RenewRequest {
  /**
   * The Star's id; must match its current client certificate.
   */
  'starId'?: (string);
  /**
   * PKCS#10 CSR, PEM, for a new key pair.
   */
  'csrPem'?: (string);
}

/**
 * A connected Star asks for a fresh certificate.
 */
export interface RenewRequest__Output {
  /**
   * The Star's id; must match its current client certificate.
   */
  'starId': (string);
  /**
   * PKCS#10 CSR, PEM, for a new key pair.
   */
  'csrPem': (string);
}
