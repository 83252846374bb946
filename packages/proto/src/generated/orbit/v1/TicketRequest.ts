// Original file: proto/orbit/v1/orbit.proto


/**
 * Asks the Nucleus for a new ticket for a running command; answered with a TicketGrant.
 */
export interface TicketRequest {
  /**
   * The PushChunks command that needs it.
   */
  'commandId'?: (string);
}

/**
 * Asks the Nucleus for a new ticket for a running command; answered with a TicketGrant.
 */
export interface TicketRequest__Output {
  /**
   * The PushChunks command that needs it.
   */
  'commandId': (string);
}
