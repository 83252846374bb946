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
}
