/** What the Nucleus side of the control-plane bench and its simulated Stars (a child process) tell each other. */

export interface SwarmStar {
  readonly starId: string;
  readonly keyPem: string;
  readonly chainPem: string;
}

/** Parent → child, once: who to be and where to dial. */
export interface SwarmStart {
  readonly type: 'start';
  readonly controlPort: number;
  readonly caPem: string;
  readonly heartbeatMs: number;
  readonly stars: readonly SwarmStar[];
}

/** Parent → child: report the event-loop delay since the last ask (and start over). */
export interface SwarmLoopDelayAsk {
  readonly type: 'loop-delay';
}

/** Child → parent: the answer, so a late heartbeat can be told apart from a busy load generator. */
export interface SwarmLoopDelay {
  readonly type: 'loop-delay';
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Parent → child: close every Session and exit. */
export interface SwarmStop {
  readonly type: 'stop';
}

/**
 * Child → parent, once: every Star holds a Session (got its Settings). `retries` counts Sessions that
 * ended before that and were dialled again with the Star agent's backoff; `firstError` says why.
 */
export interface SwarmConnected {
  readonly type: 'connected';
  readonly stars: number;
  readonly retries: number;
  readonly firstError: string | undefined;
}
