// Original file: proto/orbit/v1/orbit.proto


/**
 * PrepareReceive's answer.
 */
export interface PrepareReceiveResult {
  /**
   * Where the sending Star should connect, host:port (the Star's advertised data-plane address).
   */
  'dataAddress'?: (string);
  /**
   * SHA-256 fingerprint of the certificate the data plane presents, lowercase hex, to pin.
   */
  'certFingerprint'?: (string);
}

/**
 * PrepareReceive's answer.
 */
export interface PrepareReceiveResult__Output {
  /**
   * Where the sending Star should connect, host:port (the Star's advertised data-plane address).
   */
  'dataAddress': (string);
  /**
   * SHA-256 fingerprint of the certificate the data plane presents, lowercase hex, to pin.
   */
  'certFingerprint': (string);
}
