// Original file: proto/orbit/v1/orbit.proto


/**
 * A fresh data-plane ticket for a running PushChunks.
 */
export interface TicketGrant {
  /**
   * The command it is for.
   */
  'commandId'?: (string);
  /**
   * The signed ticket; empty when the Nucleus refuses (the run ended), with `error` saying why.
   */
  'ticket'?: (string);
  /**
   * Why no ticket was granted.
   */
  'error'?: (string);
  /**
   * Set with `error` when the refusal is temporary (the Nucleus is still re-attaching to the push
   * after a restart, or stands by): the Star asks again with backoff until the command's deadline.
   */
  'retry'?: (boolean);
  /**
   * With a ticket: the SHA-256 (hex) of the destination Star's certificate as the Nucleus issued it
   * last. The push pins it from this connection on (the destination may have renewed since).
   */
  'peerCertFingerprint'?: (string);
}

/**
 * A fresh data-plane ticket for a running PushChunks.
 */
export interface TicketGrant__Output {
  /**
   * The command it is for.
   */
  'commandId': (string);
  /**
   * The signed ticket; empty when the Nucleus refuses (the run ended), with `error` saying why.
   */
  'ticket': (string);
  /**
   * Why no ticket was granted.
   */
  'error': (string);
  /**
   * Set with `error` when the refusal is temporary (the Nucleus is still re-attaching to the push
   * after a restart, or stands by): the Star asks again with backoff until the command's deadline.
   */
  'retry': (boolean);
  /**
   * With a ticket: the SHA-256 (hex) of the destination Star's certificate as the Nucleus issued it
   * last. The push pins it from this connection on (the destination may have renewed since).
   */
  'peerCertFingerprint': (string);
}
