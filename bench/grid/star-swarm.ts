/**
 * Simulated Stars for the control-plane bench (a child of nucleus-load.ts, so their memory is not
 * billed to the Nucleus): one mTLS Session per Star with its own certificate, Hello, a heartbeat
 * every interval at a random phase, and an immediate answer to every ReadHeader command.
 */
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { NUCLEUS_DNS_NAME } from '@orbit/engine/identity/star-naming';
import { loadOrbitProto, type NucleusMessage__Output, type StarMessage } from '@orbit/proto';
import type { SwarmReport, SwarmStar, SwarmStart } from './swarm-protocol.ts';

const orbit = loadOrbitProto().orbit.v1;
const dialOptions = {
  'grpc.ssl_target_name_override': NUCLEUS_DNS_NAME,
  'grpc.default_authority': NUCLEUS_DNS_NAME,
};
const HEADER = Buffer.from('orbit bench header');

interface Session {
  close(): void;
}

function report(message: SwarmReport): void {
  process.send?.(message);
}

function openSession(
  start: SwarmStart,
  star: SwarmStar,
  onReady: () => void,
  onFail: (why: string) => void,
): Session {
  const client = new orbit.StarControl(
    `127.0.0.1:${start.controlPort}`,
    credentials.createSsl(Buffer.from(start.caPem), Buffer.from(star.keyPem), Buffer.from(star.chainPem)),
    dialOptions,
  );
  const stream = client.Session();
  const send = (message: StarMessage): void => {
    stream.write(message);
  };
  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  const heartbeat = (): void =>
    send({ heartbeat: { cpuCores: 2, cpuPercent: 3, version: '0.1.0', sentAtUnixMs: Date.now() } });
  stream.on('data', (message: NucleusMessage__Output) => {
    if (message.settings && timer === undefined) {
      onReady();
      // A random phase spreads 1 000 Stars over the interval, as Stars started at different times are.
      timer = setTimeout(() => {
        heartbeat();
        timer = setInterval(heartbeat, start.heartbeatMs);
      }, Math.random() * start.heartbeatMs);
    }
    const command = message.command;
    if (command?.readHeader) {
      send({ commandResult: { commandId: command.id, readHeader: { data: HEADER, eof: true } } });
    }
  });
  stream.on('error', (error: ServiceError) => {
    clearTimeout(timer);
    if (!closing) onFail(`Star ${star.starId}: ${error.message}`);
  });
  send({ hello: { starId: star.starId, version: '0.1.0' } });
  return {
    close() {
      closing = true;
      clearTimeout(timer);
      stream.cancel();
      client.close();
    },
  };
}

const sessions: Session[] = [];
process.on('message', (message: SwarmStart | { type: 'stop' }) => {
  if (message.type === 'stop') {
    for (const session of sessions) session.close();
    process.disconnect?.();
    return;
  }
  let ready = 0;
  const onReady = (): void => {
    ready++;
    if (ready === message.stars.length) report({ type: 'connected', stars: ready });
  };
  const onFail = (why: string): void => report({ type: 'failed', message: why });
  for (const star of message.stars) sessions.push(openSession(message, star, onReady, onFail));
});
