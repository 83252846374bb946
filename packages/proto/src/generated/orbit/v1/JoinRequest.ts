// Original file: proto/orbit/v1/orbit.proto


/**
 * A Star asks to join the grid.
 */
export interface JoinRequest {
  /**
   * One-time join token from the Nucleus UI.
   */
  'token'?: (string);
  /**
   * PKCS#10 certificate signing request, PEM, for a key pair the Star generated for this join.
   */
  'csrPem'?: (string);
  /**
   * Human name of the Star (star.toml `[star] name`).
   */
  'starName'?: (string);
  /**
   * The Star's software version (semver).
   */
  'version'?: (string);
  /**
   * Optional features this Star supports, as in Hello.
   */
  'capabilities'?: (string)[];
}

/**
 * A Star asks to join the grid.
 */
export interface JoinRequest__Output {
  /**
   * One-time join token from the Nucleus UI.
   */
  'token': (string);
  /**
   * PKCS#10 certificate signing request, PEM, for a key pair the Star generated for this join.
   */
  'csrPem': (string);
  /**
   * Human name of the Star (star.toml `[star] name`).
   */
  'starName': (string);
  /**
   * The Star's software version (semver).
   */
  'version': (string);
  /**
   * Optional features this Star supports, as in Hello.
   */
  'capabilities': (string)[];
}
