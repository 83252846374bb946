/**
 * Simulated Stars for the control-plane bench (a child of nucleus-load.ts, so their memory is not
 * billed to the Nucleus): one mTLS Session per Star with its own certificate, Hello, a heartbeat
 * every interval at a random phase, an immediate answer to every ReadHeader command, and the Star
 * agent's reconnect policy (500 ms doubling to 30 s, ±25 % jitter) when a Session ends.
 */

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { NUCLEUS_DNS_NAME } from '@orbit/engine/identity/star-naming';
import { loadOrbitProto, type NucleusMessage__Output, type StarMessage } from '@orbit/proto';
import type {
  SwarmConnected,
  SwarmLoopDelay,
  SwarmLoopDelayAsk,
  SwarmStar,
  SwarmStart,
  SwarmStop,
} from './swarm-protocol.ts';

const orbit = loadOrbitProto().orbit.v1;
const dialOptions = {
  'grpc.ssl_target_name_override': NUCLEUS_DNS_NAME,
  'grpc.default_authority': NUCLEUS_DNS_NAME,
};
const HEADER = Buffer.from('orbit bench header');
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

interface SwarmEvents {
  ready(): void;
  retry(error: ServiceError): void;
}

/** One simulated Star: dials, keeps its Session up, and redials after a failure until stopped. */
class SimulatedStar {
  readonly #start: SwarmStart;
  readonly #star: SwarmStar;
  readonly #events: SwarmEvents;
  #backoffMs = FIRST_BACKOFF_MS;
  #everReady = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #close: (() => void) | undefined;

  constructor(start: SwarmStart, star: SwarmStar, events: SwarmEvents) {
    this.#start = start;
    this.#star = star;
    this.#events = events;
  }

  dial(): void {
    const client = new orbit.StarControl(
      `127.0.0.1:${this.#start.controlPort}`,
      credentials.createSsl(
        Buffer.from(this.#start.caPem),
        Buffer.from(this.#star.keyPem),
        Buffer.from(this.#star.chainPem),
      ),
      dialOptions,
    );
    const stream = client.Session();
    const send = (message: StarMessage): void => {
      stream.write(message);
    };
    const heartbeat = (): void =>
      send({ heartbeat: { cpuCores: 2, cpuPercent: 3, version: '0.1.0', sentAtUnixMs: Date.now() } });
    let established = false;
    this.#close = () => {
      clearTimeout(this.#timer);
      stream.cancel();
      client.close();
    };
    stream.on('data', (message: NucleusMessage__Output) => {
      if (message.settings && !established) {
        established = true;
        this.#backoffMs = FIRST_BACKOFF_MS;
        if (!this.#everReady) {
          this.#everReady = true;
          this.#events.ready();
        }
        // A random phase spreads the Stars over the interval, as Stars started at different times are.
        this.#timer = setTimeout(() => {
          heartbeat();
          this.#timer = setInterval(heartbeat, this.#start.heartbeatMs);
        }, Math.random() * this.#start.heartbeatMs);
      }
      const command = message.command;
      if (command?.readHeader) {
        send({ commandResult: { commandId: command.id, readHeader: { data: HEADER, eof: true } } });
      }
    });
    stream.on('error', (error: ServiceError) => {
      this.#close?.();
      if (this.#stopped) return;
      this.#events.retry(error);
      const wait = Math.round(this.#backoffMs * (0.75 + Math.random() * 0.5));
      this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
      this.#timer = setTimeout(() => this.dial(), wait);
    });
    send({ hello: { starId: this.#star.starId, version: '0.1.0' } });
  }

  stop(): void {
    this.#stopped = true;
    this.#close?.();
  }
}

const stars: SimulatedStar[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
process.on('message', (message: SwarmStart | SwarmStop | SwarmLoopDelayAsk) => {
  if (message.type === 'loop-delay') {
    const answer: SwarmLoopDelay = {
      type: 'loop-delay',
      p99Ms: loopDelay.percentile(99) / 1e6,
      maxMs: loopDelay.max / 1e6,
    };
    loopDelay.reset();
    process.send?.(answer);
    return;
  }
  if (message.type === 'stop') {
    for (const star of stars) star.stop();
    process.disconnect?.();
    return;
  }
  let ready = 0;
  let retries = 0;
  let firstError: string | undefined;
  const events: SwarmEvents = {
    ready() {
      ready++;
      if (ready !== message.stars.length) return;
      const connected: SwarmConnected = { type: 'connected', stars: ready, retries, firstError };
      process.send?.(connected);
    },
    retry(error) {
      retries++;
      firstError ??= error.message;
    },
  };
  for (const star of message.stars) {
    const simulated = new SimulatedStar(message, star, events);
    stars.push(simulated);
    simulated.dial();
  }
});
