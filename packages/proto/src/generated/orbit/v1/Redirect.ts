// Original file: proto/orbit/v1/orbit.proto


/**
 * Sent by a Nucleus process that stands by (another process on the same database holds the
 * dispatcher lease) to a Star that dialled it. Commands come only from the dispatching process, so
 * the Star ends this session and dials `control_address` next; when that fails it goes back to its
 * configured hub address (e.g. a load balancer), which may send it on again.
 */
export interface Redirect {
  /**
   * host:port of the dispatching Nucleus' control port (mutual TLS, same grid CA and server name).
   */
  'controlAddress'?: (string);
  /**
   * Why, for the Star's log.
   */
  'reason'?: (string);
}

/**
 * Sent by a Nucleus process that stands by (another process on the same database holds the
 * dispatcher lease) to a Star that dialled it. Commands come only from the dispatching process, so
 * the Star ends this session and dials `control_address` next; when that fails it goes back to its
 * configured hub address (e.g. a load balancer), which may send it on again.
 */
export interface Redirect__Output {
  /**
   * host:port of the dispatching Nucleus' control port (mutual TLS, same grid CA and server name).
   */
  'controlAddress': (string);
  /**
   * Why, for the Star's log.
   */
  'reason': (string);
}
