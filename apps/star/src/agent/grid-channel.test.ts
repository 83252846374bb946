import { createServer } from 'node:net';
import {
  Metadata,
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import {
  createCsr,
  createGridCa,
  exportPrivateKeyPem,
  type GridCa,
  generateGridKeys,
  issueServerCertificate,
  issueStarCertificate,
  NUCLEUS_DNS_NAME,
} from '@orbit/engine/identity/index';
import {
  type JoinRequest__Output,
  type JoinResponse,
  loadOrbitProto,
  type NucleusMessage,
  type NucleusMessage__Output,
  type RenewRequest__Output,
  type RenewResponse,
  type StarMessage__Output,
} from '@orbit/proto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { binaryHeader, GrpcStatus, textHeader } from './grid-channel.ts';
import { callJoin, callRenew, gridChannel, mutualTls, openSession, serverOnlyTls } from './grid-clients.ts';

// The Star's gRPC client against the real grpc-js server the Nucleus runs, over mutual TLS.
const orbit = loadOrbitProto().orbit.v1;
let ca: GridCa;
let otherCa: GridCa;
let keyPair: { cert_chain: Buffer; private_key: Buffer };
let star: { keyPem: string; chainPem: string };
let stranger: { keyPem: string; chainPem: string };
const servers: Server[] = [];

async function starCredentials(issuer: GridCa, starId: string) {
  const keys = await generateGridKeys();
  const issued = await issueStarCertificate({
    ca: issuer,
    csrPem: await createCsr({ starName: starId, keys }),
    starId,
    teamId: 'team-gc',
    validityDays: 1,
  });
  return { keyPem: await exportPrivateKeyPem(keys.privateKey), chainPem: issued.chainPem };
}

beforeAll(async () => {
  ca = await createGridCa({ commonName: 'Grid channel test grid', validityDays: 2 });
  otherCa = await createGridCa({ commonName: 'Another grid', validityDays: 2 });
  const nucleus = await issueServerCertificate({ ca, validityDays: 1 });
  keyPair = { cert_chain: Buffer.from(nucleus.chainPem), private_key: Buffer.from(nucleus.privateKeyPem) };
  star = await starCredentials(ca, 'star-gc');
  stranger = await starCredentials(otherCa, 'star-x');
});

afterEach(() => {
  for (const server of servers.splice(0)) server.forceShutdown();
});

interface Handlers {
  Join?(
    call: ServerUnaryCall<JoinRequest__Output, JoinResponse>,
    callback: sendUnaryData<JoinResponse>,
  ): void;
  Renew?(
    call: ServerUnaryCall<RenewRequest__Output, RenewResponse>,
    callback: sendUnaryData<RenewResponse>,
  ): void;
  Session?(call: ServerDuplexStream<StarMessage__Output, NucleusMessage>): void;
}

async function listen(handlers: Handlers, requireClientCertificate = true): Promise<number> {
  const server = new Server();
  servers.push(server);
  const refuse = (_call: unknown, callback: sendUnaryData<never>) =>
    callback({ code: status.UNIMPLEMENTED, details: 'not in this test' });
  server.addService(orbit.Enrolment.service, {
    Join: handlers.Join ?? refuse,
    Renew: handlers.Renew ?? refuse,
  });
  server.addService(orbit.StarControl.service, { Session: handlers.Session ?? (() => undefined) });
  const credentials = ServerCredentials.createSsl(
    Buffer.from(ca.certificatePem),
    [keyPair],
    requireClientCertificate,
  );
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, port) => (error ? reject(error) : resolve(port))),
  );
}

const address = (port: number) => ({ host: '127.0.0.1', port });

describe('the Star gRPC channel', () => {
  it('carries a unary call with request metadata, response metadata and an error status from the trailers', async () => {
    const port = await listen(
      {
        Join(call, callback) {
          const metadata = new Metadata();
          metadata.set('orbit-grid-ca-bin', Buffer.from(ca.certificatePem));
          metadata.set('orbit-control-port', '7443');
          call.sendMetadata(metadata);
          if (call.request.token === 'good')
            callback(null, { starId: `star for ${call.metadata.get('orbit-allowed-paths')[0]}` });
          else callback({ code: status.ALREADY_EXISTS, details: 'a Star named "nas 01" exists' });
        },
      },
      false,
    );
    const channel = gridChannel(address(port), NUCLEUS_DNS_NAME, serverOnlyTls(ca.certificatePem));
    const joined = await callJoin(channel, { token: 'good' }, { 'orbit-allowed-paths': '[/srv]' });
    expect(joined.response).toMatchObject({ starId: 'star for [/srv]', teamId: '', settings: null });
    expect(textHeader(joined.headers, 'orbit-control-port')).toBe('7443');
    const refused = await callJoin(channel, { token: 'spent' }, {});
    channel.close();
    expect(refused.response).toBeUndefined();
    expect(refused.error).toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      details: 'a Star named "nas 01" exists',
    });
    expect(binaryHeader(refused.headers, 'orbit-grid-ca-bin')?.toString()).toBe(ca.certificatePem);
  });

  it('reads a trailers-only refusal and a deadline it set itself', async () => {
    const port = await listen({
      Renew(call, callback) {
        if (call.request.csrPem === '')
          callback({ code: status.INVALID_ARGUMENT, details: 'csr_pem is empty' });
        // Otherwise never answers: the Star's deadline ends the call.
      },
    });
    const channel = gridChannel(
      address(port),
      NUCLEUS_DNS_NAME,
      mutualTls(ca.certificatePem, star.keyPem, star.chainPem),
    );
    const empty = await callRenew(channel, { starId: 'star-gc', csrPem: '' }, 10_000);
    expect(empty.error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: 'csr_pem is empty' });
    const slow = await callRenew(channel, { starId: 'star-gc', csrPem: 'x' }, 300);
    channel.close();
    expect(slow.error?.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
  });

  it('holds a Session both ways and reports the status the Nucleus ends it with', async () => {
    const seen: StarMessage__Output[] = [];
    const port = await listen({
      Session(call) {
        call.on('data', (message: StarMessage__Output) => {
          seen.push(message);
          if (message.hello)
            call.write({ settings: { heartbeatIntervalMs: 5000, resultPartMaxBytes: 1 << 20 } });
          if (message.ticketRequest)
            call.write({
              ticketGrant: {
                commandId: message.ticketRequest.commandId,
                ticket: 'ticket-1',
                peerCertFingerprint: 'ef'.repeat(32),
              },
            });
          if (message.heartbeat)
            call.emit('error', { code: status.PERMISSION_DENIED, details: 'Star removed: 100%' });
        });
      },
    });
    const channel = gridChannel(
      address(port),
      NUCLEUS_DNS_NAME,
      mutualTls(ca.certificatePem, star.keyPem, star.chainPem),
    );
    const stream = openSession(channel);
    const received: NucleusMessage__Output[] = [];
    stream.on('message', (message) => {
      received.push(message);
      if (message.settings) stream.write({ ticketRequest: { commandId: 'c-7' } });
      if (message.ticketGrant)
        stream.write({ heartbeat: { cpuCores: 2, memoryTotalBytes: 2 ** 34, sentAtUnixMs: Date.now() } });
    });
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.write({ hello: { starId: 'star-gc', version: '0.1.0', resumeCommandIds: ['c-1'] } });
    const error = await closed;
    channel.close();
    expect(received.map((message) => message.body)).toEqual(['settings', 'ticketGrant']);
    expect(received[1]?.ticketGrant).toEqual({
      commandId: 'c-7',
      ticket: 'ticket-1',
      error: '',
      retry: false,
      peerCertFingerprint: 'ef'.repeat(32),
    });
    expect(seen.map((message) => message.body)).toEqual(['hello', 'ticketRequest', 'heartbeat']);
    expect(seen[0]?.hello?.resumeCommandIds).toEqual(['c-1']);
    expect(seen[2]?.heartbeat?.memoryTotalBytes).toBe(2 ** 34);
    expect(error).toMatchObject({ code: 7, details: 'Star removed: 100%' });
  });

  it('is refused without a client certificate, with another grid’s certificate, or under another server name', async () => {
    const port = await listen({
      Renew: (_call, callback) => callback({ code: status.INVALID_ARGUMENT, details: 'ok' }),
    });
    const attempts = [
      gridChannel(address(port), NUCLEUS_DNS_NAME, serverOnlyTls(ca.certificatePem)),
      gridChannel(
        address(port),
        NUCLEUS_DNS_NAME,
        mutualTls(ca.certificatePem, stranger.keyPem, stranger.chainPem),
      ),
      gridChannel(
        address(port),
        'impostor.orbit.local',
        mutualTls(ca.certificatePem, star.keyPem, star.chainPem),
      ),
      gridChannel(
        address(port),
        NUCLEUS_DNS_NAME,
        mutualTls(otherCa.certificatePem, star.keyPem, star.chainPem),
      ),
    ];
    for (const [index, channel] of attempts.entries()) {
      const { error } = await callRenew(channel, { starId: 'star-gc', csrPem: '' }, 10_000);
      channel.close();
      expect(error?.code, `attempt ${index}: ${error?.details}`).toBe(GrpcStatus.UNAVAILABLE);
    }
    // The same call with the right certificate, CA and name gets through (to the handler's answer).
    const good = gridChannel(
      address(port),
      NUCLEUS_DNS_NAME,
      mutualTls(ca.certificatePem, star.keyPem, star.chainPem),
    );
    const { error } = await callRenew(good, { starId: 'star-gc', csrPem: '' }, 10_000);
    good.close();
    expect(error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: 'ok' });
  });

  it('reports a port nobody listens on as UNAVAILABLE', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const channel = gridChannel(address(closedPort), NUCLEUS_DNS_NAME, serverOnlyTls(ca.certificatePem));
    const { error } = await callJoin(channel, { token: 't' }, {});
    channel.close();
    expect(error?.code).toBe(GrpcStatus.UNAVAILABLE);
  });
});
