// Original file: proto/orbit/v1/orbit.proto


/**
 * The Nucleus has durably stored a result or result part.
 */
export interface Ack {
  /**
   * The command the acknowledged output belongs to.
   */
  'commandId'?: (string);
  /**
   * Parts up to and including this sequence are stored.
   */
  'sequence'?: (number);
  /**
   * True once the CommandResult itself is stored; the Star may forget the command.
   */
  'resultStored'?: (boolean);
}

/**
 * The Nucleus has durably stored a result or result part.
 */
export interface Ack__Output {
  /**
   * The command the acknowledged output belongs to.
   */
  'commandId': (string);
  /**
   * Parts up to and including this sequence are stored.
   */
  'sequence': (number);
  /**
   * True once the CommandResult itself is stored; the Star may forget the command.
   */
  'resultStored': (boolean);
}
